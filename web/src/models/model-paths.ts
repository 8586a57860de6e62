/** Console paths of this module; every segment encoded, so a name can never add a segment or a scheme. */
export const modelPath = (name: string): string => `/models/${encodeURIComponent(name)}`;

export const versionPath = (name: string, ref: string | number): string =>
  `${modelPath(name)}/versions/${encodeURIComponent(String(ref))}`;
