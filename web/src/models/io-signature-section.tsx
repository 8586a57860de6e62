import type { TensorSpec, Version } from './models-types';

const shapeText = (shape: TensorSpec['shape']) =>
  shape === null ? 'unknown' : `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

function Tensors({ caption, tensors }: { caption: string; tensors: TensorSpec[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Shape</th>
          </tr>
        </thead>
        <tbody>
          {tensors.map((t) => (
            <tr key={t.name}>
              <th scope="row">
                <code>{t.name}</code>
              </th>
              <td>{t.dtype}</td>
              <td>
                <code>{shapeText(t.shape)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The ONNX graph's inputs and outputs (names, element types, shapes; `?` for a dynamic dimension). */
export function IoSignatureSection({ signature }: { signature: Version['ioSignature'] }) {
  return (
    <section aria-labelledby="io-heading">
      <h2 id="io-heading">Input and output signature</h2>
      {signature === null ? (
        <p className="empty">No signature: only ONNX models have one.</p>
      ) : (
        <>
          <Tensors caption="Inputs" tensors={signature.inputs} />
          <Tensors caption="Outputs" tensors={signature.outputs} />
          <p className="muted">
            IR version {signature.irVersion ?? 'unknown'}; opsets{' '}
            {signature.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ') || 'none'}
            {signature.producer && <>; produced by {signature.producer}</>}
          </p>
        </>
      )}
    </section>
  );
}
