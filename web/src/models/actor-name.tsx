/** Who acted: the display name (never unique) with the exact principal id beside it for the careful reader. */
export function ActorName({ id, name }: { id: string; name: string | null }) {
  return (
    <span className="actor" title={id}>
      {name ?? id}
      {name && <span className="visually-hidden"> ({id})</span>}
    </span>
  );
}
