/** Placeholder until this module's pages land. */
export function DeploymentsPage() {
  return (
    <section>
      <h1>Deployments</h1>
    </section>
  );
}
