// SQL files are bundled as text (esbuild `text` loader; a jest transform in tests).
declare module '*.sql' {
  const text: string;
  export default text;
}
