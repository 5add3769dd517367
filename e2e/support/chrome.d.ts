// Code passed to the extension's service worker with evaluate() runs where `chrome` exists.
declare const chrome: any;
