/** Whatever owns a resource (connection, server, consumer, timer) exposes close(); main.ts closes them in reverse. */
export interface Closeable {
  close(): Promise<void>;
}
