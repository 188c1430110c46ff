//go:build cgo && !windows

package jp2

/*
#cgo pkg-config: libopenjp2
#include <openjpeg.h>
#include <string.h>

// OpenJPEG reads through callbacks: these serve it the bytes Go holds, which
// live until decode returns (C keeps no pointer to them).
typedef struct { const unsigned char *data; OPJ_SIZE_T size, pos; } chekara_mem;

static OPJ_SIZE_T chekara_read(void *buf, OPJ_SIZE_T n, void *user) {
	chekara_mem *m = user;
	if (m->pos >= m->size) return (OPJ_SIZE_T)-1;
	if (n > m->size - m->pos) n = m->size - m->pos;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return n;
}

static OPJ_OFF_T chekara_skip(OPJ_OFF_T n, void *user) {
	chekara_mem *m = user;
	if (n < 0) {
		if ((OPJ_SIZE_T)(-n) > m->pos) n = -(OPJ_OFF_T)m->pos;
	} else if ((OPJ_SIZE_T)n > m->size - m->pos) {
		n = (OPJ_OFF_T)(m->size - m->pos);
	}
	m->pos += n;
	return n;
}

static OPJ_BOOL chekara_seek(OPJ_OFF_T n, void *user) {
	chekara_mem *m = user;
	if (n < 0 || (OPJ_SIZE_T)n > m->size) return OPJ_FALSE;
	m->pos = (OPJ_SIZE_T)n;
	return OPJ_TRUE;
}

static void chekara_quiet(const char *msg, void *client) { (void)msg; (void)client; }

// chekara_decode returns the decoded picture, or NULL when it does not
// decode or its header claims more than max_pixels.
static opj_image_t *chekara_decode(const unsigned char *data, size_t size, int jp2, long long max_pixels) {
	chekara_mem m = {data, size, 0};
	opj_image_t *img = NULL;
	opj_stream_t *s = opj_stream_default_create(OPJ_TRUE);
	if (!s) return NULL;
	opj_stream_set_user_data(s, &m, NULL);
	opj_stream_set_user_data_length(s, size);
	opj_stream_set_read_function(s, chekara_read);
	opj_stream_set_skip_function(s, chekara_skip);
	opj_stream_set_seek_function(s, chekara_seek);
	opj_codec_t *c = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
	if (!c) { opj_stream_destroy(s); return NULL; }
	opj_set_info_handler(c, chekara_quiet, NULL);
	opj_set_warning_handler(c, chekara_quiet, NULL);
	opj_set_error_handler(c, chekara_quiet, NULL);
	opj_dparameters_t p;
	opj_set_default_decoder_parameters(&p);
	if (!opj_setup_decoder(c, &p) || !opj_read_header(s, c, &img)) goto fail;
	if ((long long)(img->x1 - img->x0) * (long long)(img->y1 - img->y0) > max_pixels || img->numcomps < 1) goto fail;
	if (!opj_decode(c, s, img) || !opj_end_decompress(c, s)) goto fail;
	opj_destroy_codec(c);
	opj_stream_destroy(s);
	return img;
fail:
	if (img) opj_image_destroy(img);
	opj_destroy_codec(c);
	opj_stream_destroy(s);
	return NULL;
}
*/
import "C"

import (
	"fmt"
	"image"
	"image/color"
	"unsafe"
)

func decode(data []byte, jp2 bool) (image.Image, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("jp2: empty picture")
	}
	flag := C.int(0)
	if jp2 {
		flag = 1
	}
	img := C.chekara_decode((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), flag, C.longlong(MaxPixels))
	if img == nil {
		return nil, fmt.Errorf("jp2: the picture does not decode (broken, or over %d pixels)", MaxPixels)
	}
	defer C.opj_image_destroy(img)
	return toImage(img)
}

// plane is one component of a decoded picture, as Go sees it.
type plane struct {
	w, h, dx, dy int
	shift        uint // to 8 bits
	offset       int32
	data         []C.OPJ_INT32
}

func (p plane) at(x, y int) uint8 {
	x, y = x/p.dx, y/p.dy
	if x >= p.w {
		x = p.w - 1
	}
	if y >= p.h {
		y = p.h - 1
	}
	v := (int32(p.data[y*p.w+x]) + p.offset)
	if p.shift > 0 {
		v >>= p.shift
	}
	return uint8(min(max(v, 0), 255))
}

// toImage copies OpenJPEG's planes into a Go picture: grey for one
// component, RGB for three or more, sYCC converted; components subsampled
// (4:2:0) are spread over the full grid.
func toImage(img *C.opj_image_t) (image.Image, error) {
	w, h := int(img.x1-img.x0), int(img.y1-img.y0)
	n := int(img.numcomps)
	if w <= 0 || h <= 0 || n < 1 {
		return nil, fmt.Errorf("jp2: a picture of %d × %d with %d components", w, h, n)
	}
	comps := unsafe.Slice(img.comps, n)
	planes := make([]plane, 0, 3)
	for i := 0; i < n && i < 3; i++ {
		c := comps[i]
		p := plane{w: int(c.w), h: int(c.h), dx: max(int(c.dx), 1), dy: max(int(c.dy), 1)}
		if p.w <= 0 || p.h <= 0 || c.data == nil || p.w > w || p.h > h {
			return nil, fmt.Errorf("jp2: component %d is %d × %d of a %d × %d picture", i, p.w, p.h, w, h)
		}
		if prec := int(c.prec); prec > 8 && prec <= 31 {
			p.shift = uint(prec - 8)
		}
		if c.sgnd != 0 && c.prec > 0 && c.prec <= 31 {
			p.offset = 1 << (c.prec - 1)
		}
		p.data = unsafe.Slice(c.data, p.w*p.h)
		planes = append(planes, p)
	}
	if len(planes) < 3 {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g.Pix[y*g.Stride+x] = planes[0].at(x, y)
			}
		}
		return g, nil
	}
	ycc := img.color_space == C.OPJ_CLRSPC_SYCC
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a, b, c := planes[0].at(x, y), planes[1].at(x, y), planes[2].at(x, y)
			if ycc {
				a, b, c = color.YCbCrToRGB(a, b, c)
			}
			i := y*out.Stride + 4*x
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = a, b, c, 255
		}
	}
	return out, nil
}
