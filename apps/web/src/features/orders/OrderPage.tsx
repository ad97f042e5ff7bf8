// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function OrderPage() {
  return <h1>OrderPage</h1>;
}
