// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function HomePage() {
  return <h1>HomePage</h1>;
}
