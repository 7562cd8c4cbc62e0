"""Pictures and slides the demo applicants upload for publication, drawn with Pillow at seed time (no binary file in
the repository). Deterministic: the same project always gets the same bytes on one machine.

The photos carry what a phone camera writes (an author, a camera model, GPS coordinates) so that the public copies
visibly lose it: results.pictures re-encodes them from the pixels only.
"""

import datetime
import hashlib
import io
import random
import textwrap

PHOTO_SIZE = (1600, 1067)
SLIDE_SIZE = (1280, 720)
PHOTOS_PER_ENTRY = 2
# (sky at the top, sky at the horizon, ground) for a morning, a noon and an evening picture.
PALETTES = [
    ((74, 128, 196), (206, 226, 242), (58, 122, 70)),
    ((24, 74, 140), (160, 200, 235), (92, 140, 60)),
    ((70, 52, 110), (246, 168, 98), (48, 86, 56)),
]
AUTHORS = ["Jan Kowalski", "Anna Zielińska", "Paweł Nowicki", "Maria Wróblewska"]
ACCENT = (179, 89, 0)
NAVY = (11, 61, 110)
MADE_ON = datetime.datetime(2024, 6, 1, 12, 0).timetuple()  # PDF dates: fixed, for the same bytes every time


def _rng(*parts):
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _font(size):
    from PIL import ImageFont

    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _exif(rng, number):
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = rng.choice(AUTHORS)
    exif[ExifTags.Base.Copyright] = "Urząd Gminy – materiały partnerstwa"
    exif[ExifTags.Base.Make] = "DemoCam"
    exif[ExifTags.Base.Model] = f"DC-{100 + number}"
    exif[ExifTags.Base.DateTime] = f"2024:0{5 + number}:1{number} 10:2{number}:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    latitude, longitude = rng.uniform(49.4, 54.6), rng.uniform(14.3, 23.9)  # somewhere in Poland
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _dms(latitude)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = _dms(longitude)
    return exif


def _dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), seconds)


def photo(caption, subject, number):
    """A 1600 x 1067 JPEG "photograph" of the project: sky, sun, hills, the town, and the caption in a band."""
    from PIL import Image, ImageDraw, ImageOps

    rng = _rng(caption, number)
    top, horizon, ground = PALETTES[(number + len(caption)) % len(PALETTES)]
    width, height = PHOTO_SIZE
    sky = Image.linear_gradient("L").resize((width, height))
    picture = ImageOps.colorize(sky, top, horizon)
    draw = ImageDraw.Draw(picture)
    sun_x, sun_y = rng.randint(200, 1400), rng.randint(80, 260)
    draw.ellipse((sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70), fill=(255, 214, 90))
    base = 700 + rng.randint(-40, 40)
    hills = [(0, base)] + [(x, base - rng.randint(20, 140)) for x in range(160, width, 240)] + [(width, base)]
    draw.polygon([*hills, (width, height), (0, height)], fill=ground)
    x = rng.randint(80, 300)
    while x < width - 200:  # the town: houses with roofs and lit windows
        w, h = rng.randint(90, 170), rng.randint(90, 260)
        colour = tuple(min(255, c + rng.randint(-30, 30)) for c in (214, 200, 180))
        draw.rectangle((x, base - h, x + w, base + 40), fill=colour)
        draw.polygon([(x - 10, base - h), (x + w // 2, base - h - 50), (x + w + 10, base - h)], fill=(150, 60, 40))
        for wx in range(x + 15, x + w - 25, 35):
            for wy in range(base - h + 20, base + 10, 45):
                draw.rectangle((wx, wy, wx + 18, wy + 24), fill=(250, 236, 170))
        x += w + rng.randint(40, 160)
    draw.rectangle((0, height - 190, width, height), fill=NAVY)
    draw.rectangle((0, height - 190, 24, height), fill=ACCENT)
    draw.text((70, height - 165), caption, font=_font(58), fill=(255, 255, 255))
    draw.text((70, height - 85), f"{subject} · zdjęcie {number}", font=_font(36), fill=(220, 230, 240))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80, exif=_exif(rng, number))
    return buffer.getvalue()


def presentation(caption, title, problem, indicator, baseline, achieved):
    """A three-slide PDF (pictures of slides, as a presentation exported to PDF often is)."""
    from PIL import Image, ImageDraw

    width, height = SLIDE_SIZE
    pages = [
        (title, [caption]),
        ("Problem", [problem[:1].upper() + problem[1:] + "."]),
        ("Rezultat", [f"{indicator[:1].upper()}{indicator[1:]}:", f"z {baseline} na {achieved}"]),
    ]
    slides = []
    for number, (heading, lines) in enumerate(pages, start=1):
        slide = Image.new("RGB", SLIDE_SIZE, (255, 255, 255))
        draw = ImageDraw.Draw(slide)
        draw.rectangle((0, 0, width, 120), fill=NAVY)
        draw.rectangle((0, 120, width, 132), fill=ACCENT)
        y = 24
        for line in textwrap.wrap(heading, 48)[:2]:
            draw.text((60, y), line, font=_font(36), fill=(255, 255, 255))
            y += 44
        y = 200
        for paragraph in lines:
            for line in textwrap.wrap(paragraph, 40):
                draw.text((60, y), line, font=_font(44), fill=(20, 20, 20))
                y += 60
            y += 20
        draw.text((60, height - 60), f"{caption} · {number}/{len(pages)}", font=_font(24), fill=(90, 90, 90))
        slides.append(slide)
    buffer = io.BytesIO()
    slides[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=slides[1:],
        resolution=96,
        title=title,
        author=caption,
        creationDate=MADE_ON,
        modDate=MADE_ON,
    )
    return buffer.getvalue()
