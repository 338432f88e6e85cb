import { StrictMode } from 'react';
import { App, type PageData } from './app.tsx';

/** The whole page, rendered on the server and hydrated in the browser (the same tree on both). */
export function Document({ data }: { data: PageData }) {
  return (
    <StrictMode>
      <html lang="en">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${data.page === 'checkout' ? 'Checkout' : data.description} · React example`}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/assets/page.css" />
        </head>
        <body>
          <App initial={data} />
          {/* The props the browser hydrates with; `<` escaped so no text can close the script. */}
          <script
            id="page-data"
            type="application/json"
            // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with `<` escaped, never executed
            dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replace(/</g, '\\u003c') }}
          />
        </body>
      </html>
    </StrictMode>
  );
}
