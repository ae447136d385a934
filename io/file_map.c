/* file_map.c: a whole file mapped read-only, for the readers of files that
 * are gigabytes (safetensors, GGUF) and of which a command wants a few
 * tensors: nothing is read until it is touched. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"

int sa35_io_map(const char *path, size_t min, const char *too_short,
                const uint8_t **bytes, size_t *size, sa35_err *err)
{
    *bytes = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return sa35_err_set(err, "%s: cannot open: %s", path,
                            strerror(errno));
    struct stat sb;
    int rc = 0;
    if (fstat(fd, &sb) != 0)
        rc = sa35_err_set(err, "%s: cannot stat: %s", path, strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        rc = sa35_err_set(err, "%s: not a regular file", path);
    else if (sb.st_size < (off_t)min || sb.st_size == 0) /* mmap refuses 0 */
        rc = sa35_err_set(err, "%s: %lld bytes, too short for %s", path,
                          (long long)sb.st_size, too_short);
    if (rc == 0) {
        void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd,
                       0);
        if (p == MAP_FAILED)
            rc = sa35_err_set(err, "%s: cannot map: %s", path,
                              strerror(errno));
        else {
            *bytes = p;
            *size = (size_t)sb.st_size;
        }
    }
    close(fd);
    return rc;
}

void sa35_io_unmap(const uint8_t *bytes, size_t size)
{
    if (bytes)
        munmap((void *)bytes, size);
}
