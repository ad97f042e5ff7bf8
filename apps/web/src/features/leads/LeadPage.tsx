// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function LeadPage() {
  return <h1>LeadPage</h1>;
}
