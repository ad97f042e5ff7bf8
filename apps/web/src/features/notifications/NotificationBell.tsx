// PLACEHOLDER: replaced by the screen's own work before this lands.
export default function NotificationBell() {
  return <h1>NotificationBell</h1>;
}
