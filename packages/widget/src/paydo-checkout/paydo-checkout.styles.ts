import { css } from '@lit/reactive-element';

// Logical properties only (margin-inline, padding-block…), so dir="rtl" lays out correctly.
export const styles = css`
  /* light-dark() picks by color-scheme: the OS setting, or the theme attribute. */
  :host {
    color-scheme: light dark;
    --paydo-color-primary: light-dark(#4338ca, #818cf8);
    --paydo-color-on-primary: light-dark(#fff, #0c0a1d);
    --paydo-color-text: light-dark(#111827, #f4f4f5);
    --paydo-color-muted: light-dark(#4b5563, #a1a1aa);
    --paydo-color-background: light-dark(#fff, #18181b);
    --paydo-color-surface: light-dark(#f5f5ff, #27272a);
    --paydo-color-border: light-dark(#9ca3af, #71717a);
    --paydo-color-error: light-dark(#b91c1c, #fca5a5);
    --paydo-color-success: light-dark(#15803d, #86efac);
    --paydo-color-focus: light-dark(#2563eb, #93c5fd);
    --paydo-radius: 8px;
    --paydo-font-family: system-ui, sans-serif;
    --paydo-font-size: 1rem;
    --paydo-spacing: 1rem;
    display: block;
    max-inline-size: 28rem;
    color: var(--paydo-color-text);
    font-family: var(--paydo-font-family);
    font-size: var(--paydo-font-size);
    line-height: 1.4;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
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
  /* A light chip: logos drawn for white pages stay visible on dark ones. */
  [part~='method-logo'] {
    inline-size: 36px;
    block-size: 24px;
    object-fit: contain;
    background: #fff;
    border-radius: 4px;
    padding: 2px;
  }
  /* The field's gap is its error line, kept empty when fine: a message never moves what is below it. */
  [part~='error'] {
    min-block-size: 1.4em;
  }
  /* Expiry and CVC share rows (label, input, error): the inputs line up even when one label wraps. */
  .row {
    display: grid;
    grid-template-columns: 1fr 1fr;
    column-gap: 0.75rem;
  }
  .row > * {
    display: grid;
    grid-row: span 3;
    grid-template-rows: subgrid;
    align-content: end;
  }
  .box {
    position: relative;
  }
  [part~='card-brand'] {
    position: absolute;
    inset-inline-end: 0.5rem;
    inset-block: 0;
    margin-block: auto;
    block-size: 1.4rem;
    min-inline-size: 2.2rem;
    padding-inline: 0.25rem;
    display: grid;
    place-content: center;
    border-radius: 4px;
    background: #fff;
    border: 1px solid #d4d4d8;
    color: #1a1f71;
    font: italic 800 0.7rem/1 sans-serif;
    text-transform: uppercase;
  }
  .mir {
    color: #0f754e;
  }
  .amex {
    background: #006fcf;
    color: #fff;
  }
  .mastercard,
  .maestro {
    font-size: 0;
    background:
      radial-gradient(circle at 37%, var(--a, #eb001b) 0.42rem, #0000 0.45rem),
      radial-gradient(circle at 63%, var(--b, #f79e1b) 0.42rem, #0000 0.45rem),
      #fff;
  }
  .maestro {
    --a: #e4001b;
    --b: #0099df;
  }
  [name='card.pan'] {
    padding-inline-end: 3.25rem;
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
  /* A notice is neutral (cancelled on Paydo's page: nobody did anything wrong) unless it is a failure. */
  [part~='error'],
  .fail {
    color: var(--paydo-color-error);
  }
  [part~='error'],
  [part~='notice'] {
    font-size: 0.875em;
    margin-block: 0.25rem 0.5rem;
  }
  /* While the order loads: the form's outline at its final size, its text hidden. */
  [part~='skeleton'] * {
    color: #0000;
  }


  .actions {
    display: grid;
    gap: 0.5rem;
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
    margin-block-end: 0.25rem;
  }
  button.link {
    inline-size: 100%;
    background: transparent;
    color: var(--paydo-color-primary);
    font-weight: 500;
    text-decoration: underline;
  }
  [readonly],
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
  h2:focus-visible {
    outline: none;
  }
  .success h2 {
    color: var(--paydo-color-success);
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
  /* A phone: less air, so that Pay stays close. */
  @media (max-width: 30rem) {
    :host {
      --paydo-spacing: 0.75rem;
    }
  }
`;
