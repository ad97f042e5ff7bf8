// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function AccountPage() {
  return <h1>AccountPage</h1>;
}
