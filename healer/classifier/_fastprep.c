/*
 * One pass over a raw log block, without the GIL: CRLF and bare CR become LF,
 * terminal escape sequences are removed, and line breaks are counted.
 *
 * It does exactly what healer.logtext.prepare_block_python does (a property test
 * holds them to it); it exists because that Python version holds the GIL for
 * about 2.5 ms per MiB, which keeps the scanner from using its second core.
 *
 * Escape sequences removed (the same as logtext.ANSI):
 *   ESC [ params(0x30-0x3F)* intermediates(0x20-0x2F)* final(0x40-0x7E)   CSI
 *   ESC ] text (no BEL, ESC or LF)* then BEL or ESC \ (optional)          OSC
 *   ESC one of ( ) * + then [0-9A-Za-z]                                   charset
 *   ESC one of 0x40-0x5A, '\\', ']'...'_' minus '['/']' handled above     two-byte
 * An ESC that starts none of these is kept.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static Py_ssize_t
escape_length(const unsigned char *s, Py_ssize_t n, Py_ssize_t i)
{
    /* s[i] is ESC; return the length of the sequence, or 0 if it is none. */
    Py_ssize_t j = i + 1;
    if (j >= n)
        return 0;
    unsigned char c = s[j];
    if (c == '[') {
        j++;
        while (j < n && s[j] >= 0x30 && s[j] <= 0x3F)
            j++;
        while (j < n && s[j] >= 0x20 && s[j] <= 0x2F)
            j++;
        if (j < n && s[j] >= 0x40 && s[j] <= 0x7E)
            return j + 1 - i;
        return 0;
    }
    if (c == ']') {
        j++;
        /* CR counts as a line break here too: the Python version turns it into LF first. */
        while (j < n && s[j] != 0x07 && s[j] != 0x1b && s[j] != '\n' && s[j] != '\r')
            j++;
        if (j < n && s[j] == 0x07)
            return j + 1 - i;
        if (j + 1 < n && s[j] == 0x1b && s[j + 1] == '\\')
            return j + 2 - i;
        return j - i;
    }
    if (c == '(' || c == ')' || c == '*' || c == '+') {
        if (j + 1 < n) {
            unsigned char d = s[j + 1];
            if ((d >= '0' && d <= '9') || (d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z'))
                return 3;
        }
        /* Not a charset selection: the two-byte form below does not cover ( ) * + either. */
        return 0;
    }
    if ((c >= 0x40 && c <= 0x5A) || c == '\\' || (c >= 0x5D && c <= 0x5F))
        return 2;
    return 0;
}

/* Index of the first `byte` in s[from:n], or n. */
static Py_ssize_t
find_byte(const unsigned char *s, Py_ssize_t from, Py_ssize_t n, unsigned char byte)
{
    const void *hit = from < n ? memchr(s + from, byte, (size_t)(n - from)) : NULL;
    return hit == NULL ? n : (Py_ssize_t)((const unsigned char *)hit - s);
}

static PyObject *
prepare_block(PyObject *self, PyObject *arg)
{
    Py_buffer in;
    if (PyObject_GetBuffer(arg, &in, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, in.len);
    if (out == NULL) {
        PyBuffer_Release(&in);
        return NULL;
    }
    const unsigned char *src = (const unsigned char *)in.buf;
    unsigned char *dst = (unsigned char *)PyBytes_AS_STRING(out);
    Py_ssize_t n = in.len, i = 0, j = 0, breaks = 0;

    Py_BEGIN_ALLOW_THREADS
    /* CR and ESC are rare: find them with memchr and copy the runs between them
       whole; then count the line breaks of the result in a loop the compiler
       vectorises. */
    Py_ssize_t next_esc = find_byte(src, i, n, 0x1b);
    Py_ssize_t next_cr = find_byte(src, i, n, '\r');
    while (i < n) {
        Py_ssize_t stop = next_esc < next_cr ? next_esc : next_cr;
        memcpy(dst + j, src + i, (size_t)(stop - i));
        j += stop - i;
        i = stop;
        if (i >= n)
            break;
        if (src[i] == '\r') {
            dst[j++] = '\n';
            i += (i + 1 < n && src[i + 1] == '\n') ? 2 : 1;
        } else {
            Py_ssize_t len = escape_length(src, n, i);
            if (len == 0)
                dst[j++] = src[i++];
            else
                i += len;
        }
        if (next_esc < i)
            next_esc = find_byte(src, i, n, 0x1b);
        if (next_cr < i)
            next_cr = find_byte(src, i, n, '\r');
    }
    for (Py_ssize_t k = 0; k < j; k++)
        breaks += dst[k] == '\n';
    Py_END_ALLOW_THREADS

    PyBuffer_Release(&in);
    if (_PyBytes_Resize(&out, j) < 0)
        return NULL;
    return Py_BuildValue("(Nn)", out, breaks);
}

static PyMethodDef methods[] = {
    {"prepare_block", prepare_block, METH_O,
     "prepare_block(raw) -> (text, line_breaks): universal newlines, no escape sequences."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "healer._fastprep", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit__fastprep(void)
{
    return PyModule_Create(&module);
}
