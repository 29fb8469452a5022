/** dynalite's storage module: only what the Query-size fixtures use (test/support/one-megabyte-query.ts). */
declare module 'dynalite/db/index.js' {
  const db: {
    /** An item's size in dynalite's measure; with compress and addMetaSize, what counts toward a Query's 1 MB. */
    itemSize(item: object, compress: boolean, addMetaSize: boolean, rangeKey: string): number;
  };
  export default db;
}
