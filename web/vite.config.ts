import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes the service worker with the list of every file the build made, so
 * the whole app (lazy screens too) is cached on install and opens offline.
 * The list's hash names the cache: a new build replaces the old cache.
 */
function serviceWorker(): Plugin {
  return {
    name: 'athlos-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      // The API reference's own files (Swagger UI, over a megabyte) are left to the network:
      // the app never needs them offline.
      const reachable = (from: string[]) => {
        const seen = new Set<string>();
        const visit = (name: string) => {
          const item = bundle[name];
          if (!item || seen.has(name)) return;
          seen.add(name);
          if (item.type !== 'chunk') return;
          const metadata = item.viteMetadata;
          for (const next of [
            ...item.imports,
            ...item.dynamicImports,
            ...(metadata ? [...metadata.importedCss, ...metadata.importedAssets] : []),
          ]) {
            visit(next);
          }
        };
        for (const name of from) visit(name);
        return seen;
      };
      const entries = (documentation: boolean) =>
        Object.values(bundle)
          .filter((item) => item.type === 'chunk' && item.isEntry)
          .filter(
            (item) =>
              (item.type === 'chunk' && item.facadeModuleId?.endsWith('documentation.html')) ===
              documentation,
          )
          .map((item) => item.fileName);
      const app = reachable(entries(false));
      const referenceOnly = [...reachable(entries(true))].filter((name) => !app.has(name));
      const built = Object.keys(bundle).filter(
        (name) => !name.endsWith('.map') && name !== 'documentation.html' && !referenceOnly.includes(name),
      );
      const shell = ['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png'];
      const files = [...shell, ...built.map((name) => `/${name}`)].sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(new URL('./sw/sw.js', import.meta.url), 'utf8')
        .replace('__VERSION__', version)
        .replace('[] /* __PRECACHE__ */', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  build: {
    target: 'es2022',
    assetsInlineLimit: 0,
    // The API reference's Swagger UI is 1.5 MB, loaded only at /documentation; the app's
    // own first load is measured against its budget by bench/web/first-load.mjs.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      // The app, and the API reference at /documentation.
      input: {
        index: new URL('./index.html', import.meta.url).pathname,
        documentation: new URL('./documentation.html', import.meta.url).pathname,
      },
      // TanStack Query marks its modules "use client" for React Server Components; nothing to keep here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': process.env.ATHLOS_DEV_API ?? 'http://127.0.0.1:8080' },
  },
});
