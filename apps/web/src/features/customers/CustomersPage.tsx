// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function CustomersPage() {
  return <h1>CustomersPage</h1>;
}
