import { css } from 'lit';

// Logical properties only (margin-inline, padding-block…), so dir="rtl" lays out correctly.
export const styles = css`
  :host {
    --paydo-color-primary: #4338ca;
    --paydo-color-on-primary: #fff;
    --paydo-color-text: #111827;
    --paydo-color-muted: #4b5563;
    --paydo-color-background: #fff;
    --paydo-color-surface: #f9fafb;
    --paydo-color-border: #9ca3af;
    --paydo-color-error: #b91c1c;
    --paydo-color-success: #15803d;
    --paydo-color-focus: #2563eb;
    --paydo-radius: 8px;
    --paydo-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --paydo-font-size: 1rem;
    --paydo-spacing: 1rem;
    display: block;
    max-inline-size: 28rem;
    color: var(--paydo-color-text);
    font-family: var(--paydo-font-family);
    font-size: var(--paydo-font-size);
    line-height: 1.4;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --paydo-color-primary: #a5b4fc;
      --paydo-color-on-primary: #111827;
      --paydo-color-text: #f3f4f6;
      --paydo-color-muted: #d1d5db;
      --paydo-color-background: #111827;
      --paydo-color-surface: #1f2937;
      --paydo-color-border: #6b7280;
      --paydo-color-error: #fca5a5;
      --paydo-color-success: #86efac;
      --paydo-color-focus: #93c5fd;
    }
  }
  [part~='base'] {
    background: var(--paydo-color-background);
    border: 1px solid var(--paydo-color-border);
    border-radius: var(--paydo-radius);
    padding: var(--paydo-spacing);
  }
  [part~='header'] {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: var(--paydo-spacing);
    margin-block-end: var(--paydo-spacing);
  }
  [part~='amount'] {
    font-size: 1.5em;
    font-weight: 650;
  }
  .muted {
    color: var(--paydo-color-muted);
  }
  fieldset {
    border: 0;
    margin: 0 0 var(--paydo-spacing);
    padding: 0;
    min-inline-size: 0;
  }
  legend,
  label {
    font-weight: 600;
    margin-block-end: 0.35rem;
    display: block;
  }
  [part~='method'] {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    min-block-size: 44px;
    padding-inline: 0.75rem;
    margin-block-end: 0.5rem;
    border: 1px solid var(--paydo-color-border);
    border-radius: var(--paydo-radius);
    font-weight: 500;
    cursor: pointer;
  }
  [part~='method']:has(input:checked) {
    border-color: var(--paydo-color-primary);
    background: var(--paydo-color-surface);
  }
  input[type='radio'] {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    margin: 0;
    accent-color: var(--paydo-color-primary);
  }
  [part~='method-logo'] {
    inline-size: 36px;
    block-size: 24px;
    object-fit: contain;
  }
  [part~='field'] {
    margin-block-end: 0.85rem;
  }
  .row {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.75rem;
  }
  [part~='input'] {
    box-sizing: border-box;
    inline-size: 100%;
    min-block-size: 44px;
    padding-inline: 0.75rem;
    font: inherit;
    color: inherit;
    background: var(--paydo-color-background);
    border: 1px solid var(--paydo-color-border);
    border-radius: var(--paydo-radius);
  }
  [part~='input'][aria-invalid='true'] {
    border-color: var(--paydo-color-error);
    border-width: 2px;
  }
  [part~='error'] {
    color: var(--paydo-color-error);
    font-size: 0.875em;
    margin-block-start: 0.25rem;
  }
  .brand {
    float: inline-end;
    font-weight: 400;
    color: var(--paydo-color-muted);
    text-transform: capitalize;
  }
  button,
  [part~='link-button'] {
    box-sizing: border-box;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-block-size: 44px;
    padding-inline: 1.25rem;
    font: inherit;
    font-weight: 600;
    border-radius: var(--paydo-radius);
    border: 1px solid transparent;
    cursor: pointer;
    text-decoration: none;
    background: var(--paydo-color-primary);
    color: var(--paydo-color-on-primary);
  }
  [part~='submit-button'] {
    inline-size: 100%;
  }
  button.link {
    inline-size: 100%;
    margin-block-start: 0.5rem;
    background: transparent;
    color: var(--paydo-color-primary);
    font-weight: 500;
    text-decoration: underline;
  }
  button[disabled] {
    opacity: 0.7;
    cursor: progress;
  }
  :focus-visible {
    outline: 3px solid var(--paydo-color-focus);
    outline-offset: 2px;
  }
  [part~='status'] {
    text-align: center;
    padding-block: var(--paydo-spacing);
  }
  [part~='status'] h2 {
    font-size: 1.15em;
    margin-block: 0.5rem;
  }
  /* The heading takes focus only so that screen readers land on the result; it is not a control. */
  [part~='status'] h2:focus-visible {
    outline: none;
  }
  [part~='status'].success h2 {
    color: var(--paydo-color-success);
  }
  [part~='status'].fail h2 {
    color: var(--paydo-color-error);
  }
  .spinner {
    display: inline-block;
    inline-size: 1.5rem;
    block-size: 1.5rem;
    border: 3px solid var(--paydo-color-border);
    border-block-start-color: var(--paydo-color-primary);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
