// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function PipelinePage() {
  return <h1>PipelinePage</h1>;
}
