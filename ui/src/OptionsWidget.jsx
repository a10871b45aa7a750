// A searchable dropdown for a text field whose uiSchema carries
// ui:options["x-options"]: the options come from the named list tool through
// POST /tools/{id}/options/{field} (the connection in the body), page by
// page; whatever is typed stays the value, so a value not in the list can
// still be given. Fields without the hint get RJSF's own text box.
import { useEffect, useRef, useState } from 'react';
import { getDefaultRegistry } from '@rjsf/core';
import { postJson } from './api.js';

const DefaultText = getDefaultRegistry().widgets.TextWidget;
const DefaultSelect = getDefaultRegistry().widgets.SelectWidget;

/**
 * RJSF's select, with the text of its blank choice taken from
 * `ui:placeholder` also for yes/no fields (RJSF hands a yes/no field's
 * placeholder only to the widget's options), so a tri-state field reads
 * "Leave blank", "Yes", "No". An optional choice with no placeholder also
 * offers "Leave blank" rather than an empty line.
 */
export function SelectWidget(props) {
  const placeholder =
    props.placeholder || (props.options && props.options.placeholder) || (props.required || props.multiple ? '' : 'Leave blank');
  return <DefaultSelect {...props} placeholder={placeholder} />;
}

function OptionsBox(props) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder, options } = props;
  const formContext = contextOf(props);
  const field = options.optionsField;
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [state, setState] = useState('idle');
  const [message, setMessage] = useState('');
  const [chosen, setChosen] = useState(null);
  const timer = useRef(null);
  const seq = useRef(0);

  async function load(q, nextPage) {
    const mine = ++seq.current;
    setState('loading');
    const body = { ...formContext.connection(), q: q || '', page: nextPage };
    let answer;
    try {
      answer = await postJson(
        `/tools/${encodeURIComponent(formContext.toolId)}/options/${encodeURIComponent(field)}`,
        body,
      );
    } catch (e) {
      answer = { status: 0, body: { error: { message: String(e) } } };
    }
    if (mine !== seq.current) return;
    if (answer.status === 200) {
      setItems((old) => (nextPage === 1 ? answer.body.options : [...old, ...answer.body.options]));
      setPage(nextPage);
      setHasMore(Boolean(answer.body.hasMore));
      setState('ready');
      setMessage('');
    } else {
      setItems([]);
      setHasMore(false);
      setState('failed');
      setMessage((answer.body && answer.body.error && answer.body.error.message) || `HTTP ${answer.status}`);
    }
  }

  function search(q) {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => load(q, 1), 200);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <div className="options" data-options-field={field}>
      <input
        id={id}
        className="form-control"
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}__options`}
        autoComplete="off"
        value={value ?? ''}
        placeholder={placeholder || 'Type to search, or enter a value'}
        disabled={disabled || readonly}
        onChange={(e) => {
          const v = e.target.value;
          setChosen(null);
          onChange(v === '' ? undefined : v);
          setOpen(true);
          search(v);
        }}
        onFocus={(e) => {
          setOpen(true);
          if (state === 'idle') load(value || '', 1);
          onFocus(id, e.target.value);
        }}
        onBlur={(e) => {
          // Let a click on an option land before the list closes.
          setTimeout(() => setOpen(false), 200);
          onBlur(id, e.target.value);
        }}
      />
      {chosen && <span className="options-chosen">{chosen}</span>}
      {open && (
        <div className="options-list" id={`${id}__options`} role="listbox">
          {state === 'loading' && items.length === 0 && <div className="options-note">Loading…</div>}
          {state === 'failed' && <div className="options-note options-failed">Could not load options: {message}</div>}
          {state === 'ready' && items.length === 0 && (
            <div className="options-note">No match; the typed text is used as it is.</div>
          )}
          {items.map((o) => (
            <button
              type="button"
              role="option"
              aria-selected={o.value === value}
              key={o.value}
              data-value={o.value}
              className="options-item"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                onChange(o.value);
                setChosen(o.label !== o.value ? o.label : null);
                setOpen(false);
              }}
            >
              <span className="options-label">{o.label}</span>
              {o.label !== o.value && <span className="options-value">{o.value}</span>}
            </button>
          ))}
          {hasMore && (
            <button
              type="button"
              className="options-more"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => load(value || '', page + 1)}
            >
              More…
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** The form's context (RJSF 6 keeps it in the registry; 5 passed it to widgets). */
function contextOf(props) {
  return props.formContext || (props.registry && props.registry.formContext);
}

/** RJSF's TextWidget, or the dropdown when the field has an x-options hint. */
export default function TextWidget(props) {
  const formContext = contextOf(props);
  if (props.options && props.options['x-options'] && props.options.optionsField && formContext && formContext.toolId) {
    return <OptionsBox {...props} />;
  }
  return <DefaultText {...props} />;
}
