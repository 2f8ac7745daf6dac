import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { downloadBlob } from '../../components/download';
import { ErrorMessage } from '../../components/ErrorMessage';
import {
  MAX_IMPORT_PART_CHARS,
  type CatalogList,
  type CatalogProduct,
  type ImportApplied,
  type ImportPreview,
} from '../../contract';
import type { UiError } from '../../lib/errors';
import { formatFen } from '../../lib/money';
import { useCategoryName } from '../cashier/categoryName';
import { bpToPercentInput, draftOf, EMPTY_FORM, formOf, type ProductForm } from './catalogForm';

const PAGE = 25;

/**
 * The catalogue on the manager's screen: search and filter by category, add and edit a product
 * (optimistic version: a save over someone else's is refused and says so), CSV export and an
 * import with a preview, row errors and an all-or-nothing apply. Where a chain's cloud is the
 * master, the list is read-only and says where to edit.
 */
export function CatalogPanel() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const categoryName = useCategoryName();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState('');
  const [includeOffSale, setIncludeOffSale] = useState(true);
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<CatalogList | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [error, setError] = useState<UiError | null>(null);
  const [editing, setEditing] = useState<{ form: ProductForm; version: number | null } | null>(
    null,
  );
  const [formError, setFormError] = useState<UiError | 'price' | 'taxRate' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(() => {
    void call('catalog.list', {
      ...(query.trim() === '' ? {} : { query: query.trim() }),
      ...(category === '' ? {} : { category }),
      includeInactive: includeOffSale,
      limit: PAGE,
      offset,
    }).then((r) => {
      if (!r.ok) return setError(r.error);
      setError(null);
      setList(r.value);
    });
  }, [call, query, category, includeOffSale, offset]);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    void call('catalog.categories', {}).then((r) => {
      if (r.ok) setCategories(r.value.map((c) => c.category));
    });
  }, [call, list?.total]);

  const readOnly = list?.managedBy != null;
  const save = () => {
    if (editing === null) return;
    const result = draftOf(editing.form, editing.version);
    if (!result.ok) return setFormError(result.field);
    void call('catalog.save', result.draft).then((r) => {
      if (!r.ok) {
        // Someone saved it meanwhile: the list shows their version, to open and edit again.
        if (r.error.kind === 'pos' && r.error.code === 'VERSION_CONFLICT') refresh();
        return setFormError(r.error);
      }
      setFormError(null);
      setEditing(null);
      setNotice(t('catalogue.saved', { sku: r.value.sku }));
      refresh();
    });
  };
  const exportCsv = () => {
    void call('catalog.export', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      downloadBlob(new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }), r.value.fileName);
    });
  };

  return (
    <section className="panel catalogue" aria-labelledby="catalogue-title" data-testid="catalogue">
      <h2 id="catalogue-title" className="panel__title">
        {t('catalogue.title')}
      </h2>
      {readOnly && (
        <p className="muted" role="note" data-testid="catalogue-cloud">
          {t('catalogue.cloudManaged', { url: list?.managedBy })}
        </p>
      )}
      <div className="catalogue__toolbar">
        <input
          className="input"
          type="search"
          aria-label={t('catalogue.search')}
          placeholder={t('catalogue.search')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOffset(0);
          }}
        />
        <select
          className="input"
          aria-label={t('catalogue.category')}
          value={category}
          onChange={(e) => {
            setCategory(e.target.value);
            setOffset(0);
          }}
        >
          <option value="">{t('catalogue.allCategories')}</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {categoryName(c)}
            </option>
          ))}
        </select>
        <label className="field--inline">
          <input
            type="checkbox"
            checked={includeOffSale}
            onChange={(e) => {
              setIncludeOffSale(e.target.checked);
              setOffset(0);
            }}
          />{' '}
          {t('catalogue.includeOffSale')}
        </label>
        {!readOnly && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setFormError(null);
              setEditing({ form: { ...EMPTY_FORM, category }, version: null });
            }}
          >
            {t('catalogue.add')}
          </button>
        )}
        <button type="button" className="btn btn-secondary" onClick={exportCsv}>
          {t('catalogue.export')}
        </button>
      </div>
      <ErrorMessage error={error} testId="catalogue-error" />
      {notice !== null && (
        <p role="status" className="muted" data-testid="catalogue-notice">
          {notice}
        </p>
      )}
      {editing !== null && (
        <ProductEditor
          editing={editing}
          error={formError}
          onChange={(form) => setEditing({ ...editing, form })}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
      {list !== null && (
        <>
          <table className="report-table" aria-label={t('catalogue.title')}>
            <thead>
              <tr>
                <th>{t('catalogue.sku')}</th>
                <th>{t('catalogue.name')}</th>
                <th>{t('catalogue.category')}</th>
                <th>{t('catalogue.unit')}</th>
                <th className="num">{t('catalogue.price')}</th>
                <th className="num">{t('catalogue.taxRate')}</th>
                <th>{t('catalogue.barcodesShort')}</th>
                <th>{t('catalogue.active')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.products.map((p) => (
                <ProductRow
                  key={p.sku}
                  product={p}
                  language={i18n.language}
                  categoryName={categoryName}
                  onEdit={
                    readOnly
                      ? null
                      : () => {
                          setFormError(null);
                          setEditing({ form: formOf(p), version: p.version });
                        }
                  }
                />
              ))}
            </tbody>
          </table>
          <div className="catalogue__pager">
            <span className="muted" data-testid="catalogue-count">
              {t('catalogue.count', { count: list.total })}
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t('catalogue.previous')}
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={offset + PAGE >= list.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t('catalogue.next')}
            </button>
          </div>
        </>
      )}
      {!readOnly && <ImportSection onApplied={refresh} />}
    </section>
  );
}

function ProductRow({
  product: p,
  language,
  categoryName,
  onEdit,
}: {
  product: CatalogProduct;
  language: string;
  categoryName: (c: string) => string;
  onEdit: (() => void) | null;
}) {
  const { t } = useTranslation();
  const name = language.startsWith('zh') || p.nameEn === '' ? p.nameZh : p.nameEn;
  return (
    <tr data-testid={`catalogue-row-${p.sku}`} className={p.active ? undefined : 'muted'}>
      <td>{p.sku}</td>
      <td>{name}</td>
      <td>{categoryName(p.category)}</td>
      <td>{p.unit}</td>
      <td className="num">{formatFen(p.priceFen, language)}</td>
      <td className="num">{bpToPercentInput(p.taxRateBp)}</td>
      <td>{p.barcodes.join(' ')}</td>
      <td>{p.active ? t('catalogue.active') : t('catalogue.offSale')}</td>
      <td>
        {onEdit !== null && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onEdit}>
            {t('catalogue.edit')}
          </button>
        )}
      </td>
    </tr>
  );
}

function ProductEditor({
  editing,
  error,
  onChange,
  onSave,
  onCancel,
}: {
  editing: { form: ProductForm; version: number | null };
  error: UiError | 'price' | 'taxRate' | null;
  onChange: (form: ProductForm) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { form, version } = editing;
  const text = (key: Exclude<keyof ProductForm, 'active'>, label: string, required = true) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input"
        name={key}
        value={form[key]}
        required={required}
        disabled={key === 'sku' && version !== null}
        aria-invalid={error === key}
        onChange={(e) => onChange({ ...form, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <form
      className="catalogue__editor"
      aria-label={
        version === null
          ? t('catalogue.newTitle')
          : t('catalogue.editTitle', { sku: form.sku, version })
      }
      data-testid="product-editor"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <h3>
        {version === null
          ? t('catalogue.newTitle')
          : t('catalogue.editTitle', { sku: form.sku, version })}
      </h3>
      {text('sku', t('catalogue.sku'))}
      {text('barcodes', t('catalogue.barcodes'))}
      {text('nameZh', t('catalogue.nameZh'))}
      {text('nameEn', t('catalogue.nameEn'), false)}
      {text('category', t('catalogue.category'))}
      {text('unit', t('catalogue.unit'))}
      {text('price', t('catalogue.price'))}
      {error === 'price' && <p className="field-error">{t('catalogue.priceInvalid')}</p>}
      {text('taxRate', t('catalogue.taxRate'))}
      {error === 'taxRate' && <p className="field-error">{t('catalogue.taxInvalid')}</p>}
      <label className="field--inline">
        <input
          type="checkbox"
          name="active"
          checked={form.active}
          onChange={(e) => onChange({ ...form, active: e.target.checked })}
        />{' '}
        {t('catalogue.active')}
      </label>
      <ErrorMessage
        error={error === 'price' || error === 'taxRate' ? null : error}
        testId="product-error"
      />
      <div className="catalogue__actions">
        <button type="submit" className="btn btn-primary">
          {t('catalogue.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Choose a CSV, see what it would do (row errors first), apply it whole. */
function ImportSection({ onApplied }: { onApplied: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [applied, setApplied] = useState<ImportApplied | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  const choose = async (file: File) => {
    setBusy(true);
    setPreview(null);
    setApplied(null);
    setError(null);
    try {
      const text = await file.text();
      // In parts: a whole catalogue is bigger than one message to main.
      for (let at = 0; at === 0 || at < text.length; at += MAX_IMPORT_PART_CHARS) {
        const part = await call('catalog.importUpload', {
          part: text.slice(at, at + MAX_IMPORT_PART_CHARS),
          first: at === 0,
        });
        if (!part.ok) return setError(part.error);
      }
      const r = await call('catalog.importPreview', {});
      if (!r.ok) return setError(r.error);
      setPreview(r.value);
    } finally {
      setBusy(false);
    }
  };
  const apply = () => {
    if (preview === null) return;
    setBusy(true);
    void call('catalog.importApply', { digest: preview.digest }).then((r) => {
      setBusy(false);
      if (!r.ok) return setError(r.error);
      setPreview(null);
      setApplied(r.value);
      onApplied();
    });
  };

  return (
    <div className="catalogue__import" data-testid="catalogue-import">
      <h3>{t('catalogue.importTitle')}</h3>
      <p className="muted">{t('catalogue.importHint')}</p>
      <label className="field">
        <span className="field-label">{t('catalogue.import')}</span>
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          data-testid="catalogue-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file !== undefined) void choose(file);
          }}
        />
      </label>
      {busy && (
        <p role="status" className="muted">
          {t('catalogue.uploading')}
        </p>
      )}
      <ErrorMessage error={error} testId="import-error" />
      {preview !== null && (
        <div data-testid="import-preview">
          <p>{t('catalogue.preview', preview)}</p>
          {preview.errorCount > 0 ? (
            <>
              <p role="alert" className="alert">
                {t('catalogue.errorsFound', { count: preview.errorCount })}
              </p>
              <table className="report-table" data-testid="import-errors">
                <thead>
                  <tr>
                    <th>{t('catalogue.line')}</th>
                    <th>{t('catalogue.column')}</th>
                    <th>{t('catalogue.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e) => (
                    <tr key={`${e.line}-${e.column ?? ''}`}>
                      <td>{e.line}</td>
                      <td>{e.column ?? ''}</td>
                      <td>
                        {t(`catalogue.rowProblems.${e.problem}`, {
                          ...e.values,
                          message: e.message,
                        })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={apply}>
              {t('catalogue.apply')}
            </button>
          )}
        </div>
      )}
      {applied !== null && (
        <p role="status" data-testid="import-applied">
          {t('catalogue.applied', applied)}
        </p>
      )}
    </div>
  );
}
