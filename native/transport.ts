/** Where printer bytes go: a USB bulk endpoint or a device file. */
export interface Transport {
  readonly kind: 'usb' | 'file';
  /** The device as the user knows it (model or path). */
  readonly name: string;
  /** Sends every byte or throws a DeviceError; never leaves a half-sent job unreported. */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Rejects with `onTimeout()` if `work` has not settled in `ms`. */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
