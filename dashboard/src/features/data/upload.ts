// What POST /data/upload would refuse, checked before the file is sent: the same extensions and
// symbol rule the API applies, and its default size limit.

/** The API's default MAX_UPLOAD_BYTES (50 MiB); a server set lower still answers 413. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

// the extensions the API reads: .csv (or .txt) as CSV, .parquet (or .pq) as Parquet
const EXTENSIONS = [".csv", ".txt", ".parquet", ".pq"];
// the API's symbol rule (it upper-cases): 1-32 of A-Z 0-9 . _ -, not starting with '.'
const UPLOAD_SYMBOL = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,31}$/;

export type UploadErrors = { file?: string; symbol?: string };

export type CheckedUpload =
  | { ok: true; file: File; symbol: string }
  | { ok: false; errors: UploadErrors };

export function checkUpload(
  file: File | undefined,
  symbolText: string,
  maxBytes = MAX_UPLOAD_BYTES,
): CheckedUpload {
  const errors: UploadErrors = {};
  const symbol = symbolText.trim();
  if (!file) {
    errors.file = "Choose a CSV or Parquet file to upload.";
  } else if (!EXTENSIONS.some((ext) => file.name.toLowerCase().endsWith(ext))) {
    errors.file = `${file.name} is not a .csv or .parquet file; export the bars as CSV or Parquet.`;
  } else if (file.size === 0) {
    errors.file = `${file.name} is empty; it needs a date column and open, high, low, close.`;
  } else if (file.size > maxBytes) {
    errors.file = `${file.name} is ${mebibytes(file.size)}; uploads are limited to ${mebibytes(maxBytes)}: split the file.`;
  }
  if (symbol && !UPLOAD_SYMBOL.test(symbol)) {
    errors.symbol = `"${symbol}" is not a symbol: 1–32 letters, digits and . _ - (not starting with ".").`;
  } else if (!symbol && file && !errors.file && !UPLOAD_SYMBOL.test(stem(file.name))) {
    errors.symbol = `The file name "${stem(file.name)}" cannot be a symbol; give one here.`;
  }
  if (errors.file || errors.symbol || !file) return { ok: false, errors };
  return { ok: true, file, symbol };
}

/** The file name without its extension: the symbol the API gives an upload without one. */
export function stem(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
