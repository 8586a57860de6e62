/** Placeholder until this module's pages land. */
export function ApprovalsPage() {
  return (
    <section>
      <h1>Approvals</h1>
    </section>
  );
}
