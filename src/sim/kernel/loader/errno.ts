// Models: the errno values the module loader returns (include/uapi/asm-generic/errno-base.h,
// errno.h) and the text kmod's insmod prints for them (kmod tools/insmod.c mod_strerror, else
// strerror).
// Simplifies: only the values the loader and delete_module use.

export const EPERM = -1, ENOENT = -2, ENOEXEC = -8, EAGAIN = -11, ENOMEM = -12, EBUSY = -16, EEXIST = -17, EINVAL = -22, ENOPKG = -65, EBADMSG = -74, ENOKEY = -126, EKEYREJECTED = -129;
export const EWOULDBLOCK = EAGAIN;

export const ERRNO_NAMES: Record<number, string> = {
  [-EPERM]: 'EPERM', [-ENOENT]: 'ENOENT', [-ENOEXEC]: 'ENOEXEC', [-EAGAIN]: 'EAGAIN', [-ENOMEM]: 'ENOMEM', [-EBUSY]: 'EBUSY',
  [-EEXIST]: 'EEXIST', [-EINVAL]: 'EINVAL', [-ENOKEY]: 'ENOKEY', [-EKEYREJECTED]: 'EKEYREJECTED', [-EBADMSG]: 'EBADMSG', [-ENOPKG]: 'ENOPKG',
};

const STRERROR: Record<number, string> = {
  [-EPERM]: 'Operation not permitted', [-ENOENT]: 'No such file or directory', [-ENOEXEC]: 'Exec format error',
  [-EAGAIN]: 'Resource temporarily unavailable', [-ENOMEM]: 'Cannot allocate memory', [-EBUSY]: 'Device or resource busy',
  [-EEXIST]: 'File exists', [-EINVAL]: 'Invalid argument', [-ENOKEY]: 'Required key not available',
  [-EKEYREJECTED]: 'Key was rejected by service', [-EBADMSG]: 'Bad message', [-ENOPKG]: 'Package not installed',
  // Errors an init function commonly returns (glibc's strerror texts).
  5: 'Input/output error', 6: 'No such device or address', 13: 'Permission denied', 14: 'Bad address',
  19: 'No such device', 28: 'No space left on device', 38: 'Function not implemented',
  9: 'Bad file descriptor', 20: 'Not a directory', 21: 'Is a directory', 40: 'Too many levels of symbolic links',
};

/** What `insmod` prints after "could not insert module X: " for a failed init_module/finit_module. */
export function insmodError(errno: number): string {
  // kmod's mod_strerror: its own words for the three errors a user most often meets.
  if (errno === ENOEXEC) return 'Invalid module format';
  if (errno === ENOENT) return 'Unknown symbol in module';
  if (errno === -3 /* ESRCH */) return 'Module has wrong symbol version';
  if (errno === EINVAL) return 'Invalid parameters';
  return strerror(errno);
}

/** strerror(): glibc's words for an error, as most tools print it. */
export function strerror(errno: number): string {
  return STRERROR[-errno] ?? `Unknown error ${-errno}`;
}
