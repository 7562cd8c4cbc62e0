"""Public copies of pictures: re-encoded by Pillow, at most 1600 px on the longer side, without any metadata, and a
small copy of each (480 px wide) for the lists.

Pure functions on bytes, no ORM. A new file is written from the pixels only: EXIF (with GPS and the camera's serial
number), XMP, IPTC, comments, text chunks and the colour profile stay behind (a profile other than sRGB is applied
to the pixels first, so colours survive its removal).
"""

import io

from PIL import Image, ImageCms, ImageOps

from jury.sanitise import MAX_PIXELS, CannotSanitise

MAX_SIDE = 1600
# The lists show a photo at most 12rem wide: 480 pixels keeps it sharp on a screen of twice the density.
SMALL_WIDTH = 480
FORMATS = {"jpeg": ("JPEG", "jpg", "image/jpeg"), "png": ("PNG", "png", "image/png")}


class PublicPicture:
    def __init__(self, data, extension, mime, width, height):
        self.data = data
        self.extension = extension
        self.mime = mime
        self.width = width
        self.height = height


def _to_srgb(picture, icc):
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if "A" in picture.mode else "RGB"
        return ImageCms.profileToProfile(picture, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return picture  # an unreadable profile: the pixels as they are


def public_picture(data, type_key):
    """The public copy of a JPEG or PNG picture (`data`: bytes or a binary file) as a PublicPicture; raises
    CannotSanitise for anything else or a picture too large to decode."""
    if type_key not in FORMATS:
        raise CannotSanitise(f"no public picture for file type {type_key!r}")
    fmt = FORMATS[type_key][0]
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = io.BytesIO(bytes(data))
    try:
        with Image.open(data) as source:
            if source.format not in (fmt, "MPO" if fmt == "JPEG" else fmt):
                raise CannotSanitise(f"the picture is {source.format}, not {fmt}")
            if source.width * source.height > MAX_PIXELS:
                raise CannotSanitise(f"the picture is too large ({source.width} x {source.height} pixels)")
            icc = source.info.get("icc_profile")
            source.load()
            # The orientation lives in EXIF, which goes: turn the pixels so the picture stands the right way up.
            picture = ImageOps.exif_transpose(source)
    except CannotSanitise:
        raise
    except Exception as error:  # noqa: BLE001 - any decoder failure means no public copy
        raise CannotSanitise(f"the picture could not be read: {type(error).__name__}: {error}") from error
    if picture.mode not in ("RGB", "RGBA", "L", "LA"):
        picture = picture.convert("RGBA" if fmt == "PNG" and "transparency" in picture.info else "RGB")
    if icc:
        picture = _to_srgb(picture, icc)
    if fmt == "JPEG" and picture.mode != "RGB" and picture.mode != "L":
        picture = picture.convert("RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return _encode(picture, type_key)


def _encode(picture, type_key):
    fmt, extension, mime = FORMATS[type_key]
    # A fresh image holds the pixels and nothing else: no info dictionary, no EXIF, no profile reaches save().
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return PublicPicture(out.getvalue(), extension, mime, clean.width, clean.height)


def small_picture(data, type_key):
    """The small copy of a public picture for the lists (results page, archive), SMALL_WIDTH pixels wide, as a
    PublicPicture; None when the picture is no wider than that (the public copy serves). `data` is a public copy
    already (bytes or a binary file), so it has no metadata to lose; raises CannotSanitise if it cannot be read."""
    if type_key not in FORMATS:
        raise CannotSanitise(f"no public picture for file type {type_key!r}")
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = io.BytesIO(bytes(data))
    try:
        with Image.open(data) as source:
            if source.width * source.height > MAX_PIXELS:
                raise CannotSanitise(f"the picture is too large ({source.width} x {source.height} pixels)")
            if source.width <= SMALL_WIDTH:
                return None
            source.load()
            picture = source.copy()
    except CannotSanitise:
        raise
    except Exception as error:  # noqa: BLE001 - any decoder failure means no small copy
        raise CannotSanitise(f"the picture could not be read: {type(error).__name__}: {error}") from error
    if type_key == "jpeg" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    height = max(1, round(picture.height * SMALL_WIDTH / picture.width))
    return _encode(picture.resize((SMALL_WIDTH, height), Image.Resampling.LANCZOS), type_key)
