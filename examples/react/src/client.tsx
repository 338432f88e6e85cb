// The browser entry: hydrates the server's HTML with the same tree.
import { hydrateRoot } from 'react-dom/client';
import type { PageData } from './app.tsx';
import { Document } from './document.tsx';

const data = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as PageData;
hydrateRoot(document, <Document data={data} />, {
  // A hydration mismatch would be one of these; the page stays usable (React re-renders on the client).
  onRecoverableError: (error) => console.error('React recovered from an error:', error),
});
