// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function DashboardPage() {
  return <h1>DashboardPage</h1>;
}
