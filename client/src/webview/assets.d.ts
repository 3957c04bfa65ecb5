// esbuild bundles the stylesheet imported by main.ts into timeline.css.
declare module '*.css';
