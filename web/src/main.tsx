import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startSync } from './offline/sync';
import { applyTheme } from './theme';
import './styles.css';

applyTheme();
startSync();

// The service worker makes the app open offline; on localhost during
// development Vite serves the sources, so it is registered only for builds.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No offline copy this time (a private window); the app still works online.
    });
  });
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
