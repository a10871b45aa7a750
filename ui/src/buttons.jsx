// RJSF's list buttons with words and text symbols instead of its default
// theme's glyphicon font (which this page does not load, so its buttons
// would be blank boxes). Each button says what it does, to a screen reader
// too.
import { useEffect, useRef } from 'react';
import { getDefaultRegistry } from '@rjsf/core';
import { ADDITIONAL_PROPERTY_FLAG, TranslatableString } from '@rjsf/utils';

const DefaultObject = getDefaultRegistry().templates.ObjectFieldTemplate;

function TextButton({ symbol, text, title, className, iconType, icon, uiSchema, registry, ...rest }) {
  return (
    <button type="button" className={`btn btn-${iconType || 'default'} ${className || ''}`} title={title || text} {...rest}>
      <span className="btn-symbol" aria-hidden="true">{symbol}</span>
      {text && <span className="btn-text">{text}</span>}
    </button>
  );
}

function AddButton({ id, className, onClick, disabled, registry, uiSchema }) {
  const options = (uiSchema && uiSchema['ui:options']) || {};
  const text = options.addButtonText || 'Add an entry';
  return (
    <p className={`add-row ${className || ''}`}>
      <TextButton
        id={id}
        className="btn-add"
        iconType="info"
        symbol="+"
        text={text}
        title={registry.translateString(TranslatableString.AddItemButton)}
        onClick={onClick}
        disabled={disabled}
      />
    </p>
  );
}

const iconButton = (symbol, key, iconType, text) =>
  function Button({ registry, ...props }) {
    return (
      <TextButton
        {...props}
        iconType={iconType}
        symbol={symbol}
        text={text}
        title={registry.translateString(TranslatableString[key])}
        aria-label={registry.translateString(TranslatableString[key])}
      />
    );
  };

/** The `ButtonTemplates` the playground gives RJSF (the submit button is its own). */
export const ButtonTemplates = {
  AddButton,
  CopyButton: iconButton('⧉', 'CopyButton', 'default'),
  MoveUpButton: iconButton('↑', 'MoveUpButton', 'default'),
  MoveDownButton: iconButton('↓', 'MoveDownButton', 'default'),
  RemoveButton: iconButton('✕', 'RemoveButton', 'danger', 'Remove'),
  ClearButton: iconButton('✕', 'ClearButton', 'default'),
};

const PLACEHOLDER_KEY = /^newKey(-\d+)?$/;

/**
 * One entry of a free-form group (custom fields): "Field name" and "Value"
 * side by side with a Remove button. RJSF's own shows "newKey Key" and
 * "newKey"; here a new entry's name starts empty.
 */
export function WrapIfAdditionalTemplate(props) {
  const { id, classNames, style, disabled, label, onKeyRenameBlur, onRemoveProperty, readonly, schema, hideError, rawErrors, children, uiSchema, registry } =
    props;
  const { RemoveButton } = registry.templates.ButtonTemplates;
  const classes = ['form-group', classNames];
  if (!hideError && rawErrors && rawErrors.length > 0) classes.push('has-error has-danger');
  if (!(ADDITIONAL_PROPERTY_FLAG in schema)) {
    return (
      <div className={classes.join(' ').trim()} style={style}>
        {children}
      </div>
    );
  }
  return (
    <div className={`${classes.join(' ').trim()} additional-entry`} style={style}>
      <div className="form-group">
        <label className="control-label" htmlFor={`${id}-key`}>
          Field name
        </label>
        <input
          className="form-control"
          type="text"
          id={`${id}-key`}
          key={label}
          placeholder="for example department"
          defaultValue={PLACEHOLDER_KEY.test(label) ? '' : label}
          onBlur={(e) => {
            if (e.target.value.trim() !== '') onKeyRenameBlur(e);
          }}
        />
      </div>
      <div className="form-group additional-value">
        <span className="control-label">Value</span>
        {children}
      </div>
      <RemoveButton
        id={`${id}__remove`}
        className="rjsf-object-property-remove"
        disabled={disabled || readonly}
        onClick={onRemoveProperty}
        uiSchema={uiSchema}
        registry={registry}
      />
    </div>
  );
}

/** A folded group of fields: opened by the person, or when it gets a value or an error; never closed for them. */
function Group({ title, busy, children }) {
  const ref = useRef(null);
  useEffect(() => {
    if (busy && ref.current) ref.current.open = true;
  }, [busy]);
  return (
    <details ref={ref} className="field-group" data-group={title}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/**
 * RJSF's object template, with the fields the uiSchema puts in a group
 * (`ui:options.groups`, e.g. "Advanced": page, perPage, ...) folded away
 * under the group's title; the group opens when one of its fields holds a
 * value or an error.
 */
export function ObjectFieldTemplate(props) {
  const groups = (props.uiSchema && props.uiSchema['ui:options'] && props.uiSchema['ui:options'].groups) || [];
  if (!Array.isArray(groups) || groups.length === 0) return <DefaultObject {...props} />;
  const grouped = new Set(groups.flatMap((g) => g.fields || []));
  const data = props.formData || {};
  const errors = props.errorSchema || {};
  const extra = groups
    .map((g) => {
      const members = props.properties.filter((p) => (g.fields || []).includes(p.name));
      if (members.length === 0) return null;
      const busy = members.some((p) => data[p.name] !== undefined || (errors[p.name] && Object.keys(errors[p.name]).length));
      return {
        name: `group:${g.title}`,
        content: (
          <Group key={`group:${g.title}`} title={g.title} busy={busy}>
            {members.map((p) => p.content)}
          </Group>
        ),
      };
    })
    .filter(Boolean);
  return <DefaultObject {...props} properties={[...props.properties.filter((p) => !grouped.has(p.name)), ...extra]} />;
}
