// The server entry: streams a page (React 18's and 19's renderToPipeableStream).
import { PassThrough, type Readable } from 'node:stream';
import { renderToPipeableStream } from 'react-dom/server';
import type { PageData } from './app.tsx';
import { Document } from './document.tsx';

export type { PageData };

/** A page's HTML as a stream, once its shell is ready; `clientScript` hydrates it. */
export function renderPage(data: PageData, clientScript: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const out = new PassThrough();
    const stream = renderToPipeableStream(<Document data={data} />, {
      bootstrapModules: [clientScript],
      onShellReady: () => {
        stream.pipe(out);
        resolve(out);
      },
      onShellError: reject,
      // After the shell, React sends what it could and the browser renders the rest.
      onError: (error) => {
        console.error('server render:', error);
      },
    });
  });
}
