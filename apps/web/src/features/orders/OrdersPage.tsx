// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function OrdersPage() {
  return <h1>OrdersPage</h1>;
}
