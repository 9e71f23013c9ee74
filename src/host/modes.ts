// The file-type bits of a mode (a stat's st_mode, a cpio entry's mode), as Linux defines them.
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

export const isFileMode = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isDirMode = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isSymlinkMode = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
