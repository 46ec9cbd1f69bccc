// The script editor: CodeMirror 6 with JavaScript highlighting over the form's textarea, which
// keeps the value the form posts. Bundled by build-assets.mjs into public/vendor/editor.js.
import { EditorView, basicSetup } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { oneDark } from '@codemirror/theme-one-dark';
import { Decoration, DecorationSet } from '@codemirror/view';
import { StateField } from '@codemirror/state';

function errorLineMarker(line: number | null) {
  return StateField.define<DecorationSet>({
    create(state) {
      if (line === null || line < 1 || line > state.doc.lines) return Decoration.none;
      return Decoration.set([Decoration.line({ class: 'cm-error-line' }).range(state.doc.line(line).from)]);
    },
    update(decorations, transaction) {
      return transaction.docChanged ? Decoration.none : decorations;
    },
    provide: (field) => EditorView.decorations.from(field),
  });
}

const textarea = document.querySelector<HTMLTextAreaElement>('textarea[data-editor="on"]');
if (textarea) {
  const errorLine = document.getElementById('script-error')?.dataset.line;
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      // The page's Content-Security-Policy admits CodeMirror's style element by this nonce.
      EditorView.cspNonce.of(document.querySelector<HTMLMetaElement>('meta[name="style-nonce"]')?.content ?? ''),
      javascript(),
      ...(window.matchMedia('(prefers-color-scheme: dark)').matches ? [oneDark] : []),
      errorLineMarker(errorLine ? Number(errorLine) : null),
      EditorView.contentAttributes.of({ 'aria-label': 'Script (JavaScript)' }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  textarea.insertAdjacentElement('afterend', view.dom);
  textarea.hidden = true;
  textarea.form?.addEventListener('submit', () => {
    textarea.value = view.state.doc.toString();
  });
  if (errorLine) view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(Math.min(Number(errorLine), view.state.doc.lines)).from, { y: 'center' }) });
}
