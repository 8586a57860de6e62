/** Placeholder until this module's pages land. */
export function ServingPage() {
  return (
    <section>
      <h1>Serving</h1>
    </section>
  );
}
