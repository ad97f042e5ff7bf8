// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function LeadsPage() {
  return <h1>LeadsPage</h1>;
}
