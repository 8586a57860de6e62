/** Placeholder until this module's pages land. */
export function AdminPage() {
  return (
    <section>
      <h1>Admin</h1>
    </section>
  );
}
