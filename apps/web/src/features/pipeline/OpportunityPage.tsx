// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function OpportunityPage() {
  return <h1>OpportunityPage</h1>;
}
