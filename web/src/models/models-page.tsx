/** Placeholder until this module's pages land. */
export function ModelsPage() {
  return (
    <section>
      <h1>Models</h1>
    </section>
  );
}
