// The API reference at /documentation: Swagger UI, bundled into the build (no
// script, font or validator from elsewhere), reading this server's
// /openapi.json. "Try it out" sends the requests with the login of the person
// using the app in this browser, if there is one.
import 'swagger-ui-dist/swagger-ui.css';
import './documentation.css';
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import { accessToken, isLoggedIn } from '../api/session';

const reference = document.getElementById('reference');
const note = document.getElementById('login-note');

if (note) {
  note.hidden = false;
  note.textContent = isLoggedIn()
    ? 'You are logged in: requests you try here are sent with your login, and act on your account.'
    : 'Not logged in: requests you try here are sent without a login (log in to the app first, or use "Authorize" with a token).';
}

if (reference) {
  SwaggerUIBundle({
    url: '/openapi.json',
    domNode: reference,
    deepLinking: true,
    // Tags start closed: Swagger UI (5.x) stops drawing a list of more than
    // 134 operations opened at once, and the API has more than that.
    docExpansion: 'none',
    // Schemas with every $ref opened a few levels deep.
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 4,
    displayRequestDuration: true,
    filter: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
    // The default asks an outside validator for a badge: nothing leaves this server.
    validatorUrl: null,
    syntaxHighlight: { activated: true, theme: 'agate' },
    requestInterceptor: async (request) => {
      const sameServer = new URL(request.url, window.location.href).origin === window.location.origin;
      const authorised = Object.keys(request.headers).some((name) => name.toLowerCase() === 'authorization');
      if (
        sameServer &&
        !authorised &&
        new URL(request.url, window.location.href).pathname.startsWith('/api/')
      ) {
        try {
          const token = await accessToken();
          if (token) request.headers.Authorization = `Bearer ${token}`;
        } catch {
          // No fresh login to be had (offline, ended): the request goes without it.
        }
      }
      return request;
    },
    onComplete: () => reference.setAttribute('aria-busy', 'false'),
  });
}
