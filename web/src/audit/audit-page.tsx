/** Placeholder until this module's pages land. */
export function AuditPage() {
  return (
    <section>
      <h1>Audit</h1>
    </section>
  );
}
