/**
 * Finding receipt printers on USB: a table of vendors and models, the USB printer class, and
 * discovery through the `usb` package (node-usb 3: nusb under napi-rs, N-API so the same binary
 * loads in Node and Electron, prebuilt per platform from the registry, no libusb needed on
 * Linux).
 *
 * `usb` is loaded lazily and only here: a machine without it (an unsupported platform, a failed
 * optional install) or without USB access (a container with no /sys/bus/usb) still starts and
 * simply has no printer.
 */
import type { Transport } from './transport';
import { UsbTransport, type UsbDeviceHandle } from './usb-transport';

/** bInterfaceClass of the USB printer class (USB Device Class Definition for Printing Devices). */
export const USB_CLASS_PRINTER = 0x07;

export interface VendorEntry {
  vendorId: number;
  vendor: string;
  /** Product ids of receipt printers, with their model names. */
  models: Record<number, string>;
}

/**
 * Vendors whose USB vendor id we are sure of, from the USB-IF assignments as listed in usb.ids:
 * Seiko Epson 0x04b8 and Star Micronics 0x0519. Epson's id also covers its scanners and
 * projectors, so a vendor id alone never makes a device a printer: it must be a listed model or
 * offer the printer class.
 *
 * The Epson models are the TM receipt printers whose product ids python-escpos and usb.ids agree
 * on. Most printers made in China (Xprinter, Rongta, HPRT, Gprinter...) carry the vendor id of
 * their USB bridge chip (Winbond, STMicroelectronics, NXP, GigaDevice...), which says nothing about
 * printing; they are found by their printer class instead.
 */
export const RECEIPT_PRINTER_VENDORS: readonly VendorEntry[] = [
  {
    vendorId: 0x04b8,
    vendor: 'EPSON',
    models: { 0x0202: 'TM series receipt printer', 0x0e03: 'TM-T20', 0x0e15: 'TM-T20II' },
  },
  { vendorId: 0x0519, vendor: 'Star Micronics', models: {} },
];

/** The parts of a USB device discovery looks at (node-usb's UsbDevice has them). */
export interface UsbDescriptor {
  /** Where it is plugged in (node-usb gives both); tells two identical printers apart. */
  bus?: string;
  address?: number;
  vendorId: number;
  productId: number;
  manufacturerName: string | null;
  productName: string | null;
  configuration: {
    interfaces: {
      interfaceNumber: number;
      alternate: {
        interfaceClass: number;
        endpoints: { endpointNumber: number; direction: 'in' | 'out'; type: string }[];
      };
    }[];
  } | null;
}

export interface PrinterMatch {
  /** How it was recognised. */
  by: 'model' | 'printer-class';
  name: string;
  interfaceNumber: number;
  /** The bulk OUT endpoint the bytes go to. */
  endpointNumber: number;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** Is this device a receipt printer we can write to, and through which interface/endpoint? */
export function matchPrinter(device: UsbDescriptor): PrinterMatch | null {
  const vendor = RECEIPT_PRINTER_VENDORS.find((v) => v.vendorId === device.vendorId);
  const model = vendor?.models[device.productId];
  const interfaces = device.configuration?.interfaces ?? [];
  const withBulkOut = interfaces.flatMap((i) => {
    const out = i.alternate.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk');
    return out === undefined
      ? []
      : [
          {
            number: i.interfaceNumber,
            cls: i.alternate.interfaceClass,
            endpoint: out.endpointNumber,
          },
        ];
  });
  const printerClass = withBulkOut.find((i) => i.cls === USB_CLASS_PRINTER);
  // A listed model may use a vendor-specific interface; anything else must be a printer.
  const chosen = printerClass ?? (model !== undefined ? withBulkOut[0] : undefined);
  if (chosen === undefined) return null;
  const label =
    [device.manufacturerName ?? vendor?.vendor, device.productName ?? model]
      .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
      .join(' ') || 'USB printer';
  return {
    by: model !== undefined ? 'model' : 'printer-class',
    name: `${label} (${hex4(device.vendorId)}:${hex4(device.productId)})`,
    interfaceNumber: chosen.number,
    endpointNumber: chosen.endpoint,
  };
}

/** The part of the `usb` package discovery uses. */
export interface UsbModule {
  usb: { getDevices(): Promise<(UsbDescriptor & UsbDeviceHandle)[]> };
}

/** `import('usb')`, or null where it is not installed or does not load. */
export async function loadUsb(): Promise<UsbModule | null> {
  try {
    return (await import('usb')) as unknown as UsbModule;
  } catch {
    return null;
  }
}

export interface Discovery {
  /** The printers found now (best first: listed models before class matches). */
  printers: { match: PrinterMatch; transport: () => Transport; key: string }[];
  /** Why nothing could be looked at (no package, no USB access), else null. */
  unavailable: string | null;
}

export async function discoverUsbPrinters(
  load: () => Promise<UsbModule | null> = loadUsb,
): Promise<Discovery> {
  const module = await load();
  if (module === null) return { printers: [], unavailable: 'the usb package is not available' };
  let devices: (UsbDescriptor & UsbDeviceHandle)[];
  try {
    devices = await module.usb.getDevices();
  } catch (error) {
    return {
      printers: [],
      unavailable: `USB devices cannot be listed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const printers = devices.flatMap((device) => {
    let match: PrinterMatch | null;
    try {
      match = matchPrinter(device);
    } catch {
      match = null; // descriptors unreadable (no permission): not ours to use
    }
    if (match === null) return [];
    const found = match;
    return [
      {
        match: found,
        key: `${device.bus ?? '?'}/${device.address ?? '?'} ${found.name}`,
        transport: () => new UsbTransport(device, found),
      },
    ];
  });
  printers.sort((a, b) => Number(b.match.by === 'model') - Number(a.match.by === 'model'));
  return { printers, unavailable: null };
}
