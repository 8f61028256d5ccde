// Column aliases of an aggregate statement, shared by the compiler and the rollup reads it splices in: the
// shaper reads group keys as `d0`, `d1`, … and metric parts as `m_<part>`.

/** The alias of the `i`-th group key. */
export const dimAlias = (i: number) => `d${i}`;

/** The alias of a metric part. */
export const partAlias = (name: string) => `m_${name}`;
