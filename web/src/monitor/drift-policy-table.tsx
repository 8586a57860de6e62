import type { MonitorPolicyView } from './monitor-types';

type DriftPolicy = MonitorPolicyView['policy']['drift'];
type DriftTestOptions = NonNullable<DriftPolicy['numeric']>;

const defaultText = "Evidently's default";

/** The drift section in force: the test and threshold chosen per level (column > kind > every column). */
export function DriftPolicyTable({ drift }: { drift: DriftPolicy }) {
  const rows: [string, DriftTestOptions | undefined][] = [
    ['Every column', drift],
    ['Numeric columns', drift.numeric],
    ['Categorical columns', drift.categorical],
    ...Object.entries(drift.columns ?? {}).map(([c, o]): [string, DriftTestOptions] => [`Column ${c}`, o]),
  ];
  return (
    <div className="table-wrap">
      <table>
        <caption>Drift tests and thresholds</caption>
        <thead>
          <tr>
            <th scope="col">Applies to</th>
            <th scope="col">Test</th>
            <th scope="col">Threshold</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([scope, o]) => (
            <tr key={scope}>
              <th scope="row">
                <bdi>{scope}</bdi>
              </th>
              <td>{o?.test ?? defaultText}</td>
              <td>{o?.threshold ?? defaultText}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
