/*
 * rdump_maps: everything rdump knows about /proc. Parses /proc/self/maps
 * lines, decides which mappings are captured, reads the RSS.
 *
 * Nothing here allocates: lines are read through a caller-provided buffer
 * and a parsed mapping points into that buffer. All functions are safe on
 * the memory_limit path (no Zend allocator, no malloc).
 */
#ifndef RDUMP_MAPS_H
#define RDUMP_MAPS_H

#include <stddef.h>
#include <stdint.h>

/* A byte range inside someone else's buffer; not NUL-terminated. */
typedef struct {
	const char *ptr;
	size_t len;
} rdump_span;

/* One VMA as the kernel printed it. The spans keep the kernel's tokens
 * verbatim (the dump must carry them exactly); the integers are parsed
 * from them. Valid only as long as the buffer the line came from. */
typedef struct {
	uint64_t start, end, offset, inode;
	unsigned char read, write, exec, private_;
	rdump_span start_hex, end_hex, offset_hex, device, name;
} rdump_vma;

/* What to capture, see rdump_maps_wanted(). */
#define RDUMP_CAPTURE_FULL 0x1

/* Parse one line of /proc/<pid>/maps (without its newline).
 * Returns 0 on success, -1 if the line is malformed. Pure function. */
int rdump_maps_parse_line(const char *line, size_t len, rdump_vma *out);

/* Parse bare lowercase hex (as /proc prints it) of 1 to 16 digits.
 * Returns 0, or -1 if the span is not that. Pure function. */
int rdump_maps_parse_hex(rdump_span s, uint64_t *out);

/* Does a dump with these RDUMP_CAPTURE_* flags capture this mapping's bytes?
 * Readable mappings that are writable, anonymous or shared memory; every
 * readable one with RDUMP_CAPTURE_FULL; never the kernel's vvar/vdso/
 * vsyscall pages. Pure function. */
int rdump_maps_wanted(const rdump_vma *vma, int flags);

/* Reads /proc/self/maps one line at a time through buf (which must hold
 * the longest line: use RDUMP_MAPS_LINE_MAX). */
#define RDUMP_MAPS_LINE_MAX 8192
typedef struct {
	int fd;
	char *buf;
	size_t size, start, end;
	int eof;
} rdump_maps_reader;

/* Open /proc/self/maps. Returns 0, or -1 with errno set. */
int rdump_maps_open(rdump_maps_reader *r, char *buf, size_t size);
/* Next mapping: 1 and *out filled, 0 at the end, -1 with errno set on a
 * read error (EINVAL for a line that does not parse or does not fit). */
int rdump_maps_next(rdump_maps_reader *r, rdump_vma *out);
void rdump_maps_close(rdump_maps_reader *r);

/* Resident set size of this process in bytes from /proc/self/statm,
 * or -1 if it cannot be read. */
int64_t rdump_maps_rss_bytes(void);

#endif /* RDUMP_MAPS_H */
