import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  discoverUsbPrinters,
  loadUsb,
  matchPrinter,
  USB_CLASS_PRINTER,
  type UsbDescriptor,
  type UsbModule,
} from './devices';

function device(
  vendorId: number,
  productId: number,
  interfaces: { cls: number; out?: boolean }[],
  names: { manufacturer?: string; product?: string } = {},
): UsbDescriptor {
  return {
    vendorId,
    productId,
    manufacturerName: names.manufacturer ?? null,
    productName: names.product ?? null,
    configuration: {
      interfaces: interfaces.map((i, n) => ({
        interfaceNumber: n,
        alternate: {
          interfaceClass: i.cls,
          endpoints: [
            { endpointNumber: 1, direction: 'in', type: 'bulk' },
            ...(i.out === false
              ? []
              : [{ endpointNumber: n + 2, direction: 'out' as const, type: 'bulk' }]),
          ],
        },
      })),
    },
  };
}

describe('which USB devices are receipt printers', () => {
  it('a listed Epson model, named from the table when it gives no strings', () => {
    assert.deepEqual(matchPrinter(device(0x04b8, 0x0e15, [{ cls: USB_CLASS_PRINTER }])), {
      by: 'model',
      name: 'EPSON TM-T20II (04b8:0e15)',
      interfaceNumber: 0,
      endpointNumber: 2,
    });
  });

  it('any device of the printer class (0x07), through that interface', () => {
    const xprinter = device(0x0416, 0x5011, [{ cls: 0x03 }, { cls: USB_CLASS_PRINTER }], {
      manufacturer: 'Printer',
      product: 'POS-80',
    });
    assert.deepEqual(matchPrinter(xprinter), {
      by: 'printer-class',
      name: 'Printer POS-80 (0416:5011)',
      interfaceNumber: 1,
      endpointNumber: 3,
    });
  });

  it('a listed model may use a vendor-specific interface', () => {
    const tm = device(0x04b8, 0x0202, [{ cls: 0xff }]);
    assert.equal(matchPrinter(tm)?.by, 'model');
    assert.equal(matchPrinter(tm)?.endpointNumber, 2);
  });

  it("not an Epson scanner (a printer vendor's id is not enough), nor a printer without bulk OUT", () => {
    assert.equal(matchPrinter(device(0x04b8, 0x0142, [{ cls: 0xff }])), null);
    assert.equal(
      matchPrinter(device(0x1234, 0x0001, [{ cls: USB_CLASS_PRINTER, out: false }])),
      null,
    );
    assert.equal(matchPrinter({ ...device(0x04b8, 0x0e15, []), configuration: null }), null);
  });
});

describe('discovery', () => {
  it('the usb package (node-usb 3, N-API) installs and loads here', async () => {
    const usb = await loadUsb();
    assert.ok(usb !== null, 'import("usb") failed');
    assert.equal(typeof usb.usb.getDevices, 'function');
    // Whatever this machine has (a container may have no /sys/bus/usb), discovery answers.
    const found = await discoverUsbPrinters();
    assert.ok(Array.isArray(found.printers));
    assert.ok(
      found.unavailable === null || /usb/i.test(found.unavailable),
      found.unavailable ?? '',
    );
  });

  it('no package, or no USB access: no printer, and why', async () => {
    assert.deepEqual(await discoverUsbPrinters(async () => null), {
      printers: [],
      unavailable: 'the usb package is not available',
    });
    const broken: UsbModule = {
      usb: {
        getDevices: () => Promise.reject(new Error('/sys/bus/usb/devices/ not found')),
      },
    };
    const found = await discoverUsbPrinters(async () => broken);
    assert.deepEqual(found.printers, []);
    assert.match(found.unavailable ?? '', /cannot be listed: \/sys\/bus\/usb/);
  });

  it('lists listed models before class matches', async () => {
    const handle = {
      opened: false,
      open: async () => undefined,
      close: async () => undefined,
      claimInterface: async () => undefined,
      releaseInterface: async () => undefined,
      transferOut: async () => ({ bytesWritten: 0, status: 'ok' }),
    };
    const module: UsbModule = {
      usb: {
        getDevices: async () => [
          {
            ...device(0x0416, 0x5011, [{ cls: USB_CLASS_PRINTER }]),
            ...handle,
            bus: '1',
            address: 4,
          },
          { ...device(0x046d, 0xc52b, [{ cls: 0x03 }]), ...handle },
          {
            ...device(0x04b8, 0x0e03, [{ cls: USB_CLASS_PRINTER }]),
            ...handle,
            bus: '1',
            address: 5,
          },
        ],
      },
    };
    const found = await discoverUsbPrinters(async () => module);
    assert.deepEqual(
      found.printers.map((p) => [p.match.name, p.key]),
      [
        ['EPSON TM-T20 (04b8:0e03)', '1/5 EPSON TM-T20 (04b8:0e03)'],
        ['USB printer (0416:5011)', '1/4 USB printer (0416:5011)'],
      ],
    );
    assert.equal(found.printers[0]?.transport().kind, 'usb');
  });
});
