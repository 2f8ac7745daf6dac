/**
 * The manager's catalogue channels (access.ts makes them manager-only).
 *
 * Who is master. A shop without a chain cloud edits its catalogue here. Where a cloud is linked,
 * the cloud is the catalogue's master: the till takes what the catalogue sync brings
 * (main/sync, sync-store.ts applyCatalog, which overwrites the product and its barcodes) and
 * refuses its own edits and imports with CATALOG_MANAGED_BY_CLOUD, so "both edited the same
 * product" cannot arise: the one copy that is edited is the cloud's. (A terminal only has
 * terminal credentials; the cloud's catalogue writes are the chain's admin's.) Between two
 * screens of one shop, the optimistic version decides: the second save is refused with
 * VERSION_CONFLICT (catalog-edit.ts).
 *
 * A CSV import is uploaded in parts (catalog.importUpload), kept in memory per screen (caller)
 * up to MAX_IMPORT_BYTES, previewed, and applied only if it is the text previewed.
 */
import { MAX_IMPORT_BYTES, PosError, type Channel } from '../contract';
import type { Ledger } from '../ledger';
import type { Handlers } from './handlers';

type CatalogChannel = Extract<
  Channel,
  | 'catalog.list'
  | 'catalog.get'
  | 'catalog.save'
  | 'catalog.importUpload'
  | 'catalog.importPreview'
  | 'catalog.importApply'
  | 'catalog.export'
>;

/** Uploads in progress, per caller; at most MAX_UPLOADS screens' worth at a time. */
export class CatalogUploads {
  private static readonly MAX_UPLOADS = 3;
  private readonly texts = new Map<string, { parts: string[]; bytes: number }>();

  add(callerId: string, part: string, first: boolean): number {
    let upload = this.texts.get(callerId);
    if (first || upload === undefined) {
      this.texts.delete(callerId);
      upload = { parts: [], bytes: 0 };
      this.texts.set(callerId, upload);
      // The oldest upload gives way (a screen that went away without finishing).
      while (this.texts.size > CatalogUploads.MAX_UPLOADS) {
        const oldest = this.texts.keys().next().value;
        if (oldest === undefined) break;
        this.texts.delete(oldest);
      }
    }
    const bytes = upload.bytes + Buffer.byteLength(part);
    if (bytes > MAX_IMPORT_BYTES) {
      this.texts.delete(callerId);
      throw new PosError(
        'TOO_LARGE',
        `an import is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB of CSV: split the file`,
        'part',
      );
    }
    upload.parts.push(part);
    upload.bytes = bytes;
    return bytes;
  }

  text(callerId: string): string {
    const upload = this.texts.get(callerId);
    if (upload === undefined)
      throw new PosError('VALIDATION', 'no CSV uploaded from this screen: choose the file again');
    return upload.parts.join('');
  }

  forget(callerId: string): void {
    this.texts.delete(callerId);
  }
}

export interface CatalogServices {
  /** The chain's cloud that is the catalogue's master (its address), or null: edit locally. */
  managedBy: () => string | null;
  uploads: CatalogUploads;
}

export function catalogHandlers(
  ledger: Ledger,
  services: CatalogServices,
  now: () => Date = () => new Date(),
): Pick<Handlers, CatalogChannel> {
  const { uploads } = services;
  /** Writes go to the cloud where one is linked: refuse them here, saying where. */
  function editable(): void {
    const master = services.managedBy();
    if (master !== null)
      throw new PosError(
        'CATALOG_MANAGED_BY_CLOUD',
        `this shop's catalogue is managed in the chain's cloud (${master}): edit it there; ` +
          'the change reaches every till with the next catalogue sync',
      );
  }
  return {
    'catalog.list': (r) => ledger.listCatalog(r, services.managedBy()),
    'catalog.get': ({ sku }) => ledger.catalogProduct(sku),
    'catalog.save': (draft) => {
      editable();
      return ledger.saveProduct(draft);
    },
    'catalog.importUpload': ({ part, first }, call) => {
      editable();
      return { bytes: uploads.add(call.caller.id, part, first) };
    },
    'catalog.importPreview': (_r, call) => {
      editable();
      return ledger.previewCatalogImport(uploads.text(call.caller.id));
    },
    'catalog.importApply': ({ digest }, call) => {
      editable();
      const applied = ledger.applyCatalogImport(uploads.text(call.caller.id), digest);
      uploads.forget(call.caller.id);
      return applied;
    },
    'catalog.export': () => ({
      csv: ledger.exportCatalogCsv(),
      fileName: `catalog-${now().toISOString().slice(0, 10)}.csv`,
    }),
  };
}
