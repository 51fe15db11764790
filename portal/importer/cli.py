"""`python -m portal import nukeviet|mirror …`: arguments and the run (docs/import.md)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

RULES_FOLDER = Path(__file__).parent / "rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="source", required=True)
    nuke = kinds.add_parser("nukeviet", help="từ cơ sở dữ liệu NukeViet 4 (mô-đun tin tức)")
    nuke.add_argument("--db", required=True, help="mysql://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY:CỔNG/TÊN_CSDL")
    nuke.add_argument("--prefix", default="nv4_vi_news", help="tiền tố bảng, mặc định nv4_vi_news")
    nuke.add_argument("--uploads", type=Path, required=True, help="thư mục uploads/ của cổng cũ (ảnh ở news/YYYY_MM/)")
    nuke.add_argument("--drafts", action="store_true", help="nhập cả bài chưa đăng, dưới dạng bản nháp")
    nuke.add_argument("--module", default="news", help="tên mô-đun trong địa chỉ cũ, mặc định news")
    nuke.add_argument("--lang", default="vi", help="mã ngôn ngữ trong địa chỉ cũ, mặc định vi")
    nuke.add_argument("--ext", default=".html", help="đuôi địa chỉ bài cũ (rewrite_exturl), mặc định .html")
    nuke.add_argument("--parents", choices=("giu", "gop"),
                      help="chuyên mục con: giu = giữ riêng, gop = gộp vào chuyên mục gốc (mặc định theo tệp ánh xạ, hoặc giu)")
    nuke.add_argument("--map", type=Path, help="tệp ánh xạ chuyên mục, mặc định import/chuyen-muc-nukeviet.toml")
    mirror = kinds.add_parser("mirror", help="từ bản lưu HTML của cổng cũ (wget --mirror)")
    mirror.add_argument("folder", type=Path, metavar="DIR", help="thư mục bản lưu")
    mirror.add_argument("--rules", required=True,
                        help="tệp luật TOML, hoặc tên luật có sẵn: " + ", ".join(sorted(p.stem for p in RULES_FOLDER.glob("*.toml"))))
    for sub in (nuke, mirror):
        sub.add_argument("--root", type=Path, default=Path("."), help="thư mục gốc của cổng (có content/), mặc định thư mục hiện tại")
        sub.add_argument("--dry-run", action="store_true", help="chỉ in ra những gì sẽ ghi, không ghi gì")
        sub.add_argument("--report", type=Path, help="tệp báo cáo, mặc định import/bao-cao-{nguồn}.txt")


def run(args: argparse.Namespace) -> int:
    from .model import Report
    from .writer import Writer

    root = args.root.resolve()
    if not (root / "content").is_dir():
        print(f"lỗi: {root} không phải thư mục gốc của cổng (không có thư mục content/); dùng --root", file=sys.stderr)
        return 2
    report = Report()
    started = time.perf_counter()
    try:
        source, resolver_for = _open(args, root, report)
    except Exception as exc:
        if type(exc).__name__ in ("SourceError", "RulesError"):
            print(f"lỗi: {exc}", file=sys.stderr)
            return 2
        raise
    writer = Writer(root, report, dry_run=args.dry_run)
    from .writer import progress

    bar = progress(source.count(), "Nhập bài")
    seen = 0
    try:
        for article in source.articles():
            writer.write(article, resolver_for(article))
            seen += 1
            bar.advance()
    except KeyboardInterrupt:
        bar.stop()
        print(f"Đã dừng sau {seen} bài. Các bài đã ghi đều trọn vẹn; chạy lại lệnh để làm tiếp.", file=sys.stderr)
        return 130
    except Exception as exc:
        bar.stop()
        if type(exc).__module__.startswith("pymysql"):
            print(f"lỗi: mất kết nối cơ sở dữ liệu sau {seen} bài ({exc}); các bài đã ghi đều trọn vẹn, chạy lại để làm tiếp",
                  file=sys.stderr)
            return 2
        raise
    bar.complete()
    bar.stop()
    _finish_source(args, source, writer, root)
    changed = writer.finish()
    out = writer.outcome
    counts = {"Bài mới": out.created, "Bài cập nhật": out.updated, "Bài không đổi": out.unchanged,
              "Bài bỏ qua (xem báo cáo)": out.skipped, "Ảnh, video chép mới": out.photos}
    for name, value in counts.items():
        report.count(name, value)
    for reason, value in getattr(source, "skipped", {}).items():
        report.count(f"Bài không nhập vì {reason} (thêm --drafts để nhập làm bản nháp)", value)
    if getattr(source, "not_articles", 0):
        report.count("Trang không khớp kiểu trang nào (không phải bài)", source.not_articles)
    title = f"Báo cáo nhập bài từ {args.source} ({time.strftime('%Y-%m-%d %H:%M')}, {time.perf_counter() - started:.1f} giây)"
    text = report.text(title)
    name = args.source if args.source == "nukeviet" else f"mirror-{args.folder.resolve().name}"
    report_path = args.report or root / "import" / f"bao-cao-{name}.txt"
    if args.dry_run:
        print(text)
        print("Chạy thử (--dry-run): chưa ghi tệp nào.")
    else:
        from .files import write_atomic

        write_atomic(report_path, text.encode("utf-8"))
        print(f"Xong: {out.created} bài mới, {out.updated} bài cập nhật, {out.unchanged} bài không đổi, "
              f"{out.skipped} bài bỏ qua, {out.photos} ảnh/video chép mới; {len(report.lines)} mục cần xem lại "
              f"trong {report_path}.")
        if changed:
            print("Đã cập nhật: " + ", ".join(str(p.relative_to(root)) for p in changed))
    return 0


def _open(args, root: Path, report):
    if args.source == "nukeviet":
        from .nukeviet import NukeViet, Options

        options = Options(db=args.db, prefix=args.prefix, uploads=args.uploads, drafts=args.drafts,
                          module=args.module, lang=args.lang, ext=args.ext, parents=args.parents,
                          map_file=args.map or root / "import" / "chuyen-muc-nukeviet.toml")
        if args.uploads is not None and not args.uploads.is_dir():
            from .nukeviet import SourceError

            raise SourceError(f"không có thư mục ảnh cũ {args.uploads} (--uploads)")
        source = NukeViet(options, report)
        resolve = source.resolver()
        return source, lambda _article: resolve
    from .mirror import Mirror, load_rules

    rules = Path(args.rules)
    if not rules.exists() and (RULES_FOLDER / f"{args.rules}.toml").is_file():
        rules = RULES_FOLDER / f"{args.rules}.toml"
    source = Mirror(args.folder, load_rules(rules), report)
    return source, lambda article: source.resolver(article.origin.split(":", 1)[1])


def _finish_source(args, source, writer, root: Path) -> None:
    from portal.core.schema import slugify

    def category_url(name: str) -> str:
        return f"/chuyen-muc/{slugify(name)}/"

    def tag_url(name: str) -> str:
        return f"/the/{slugify(name)}/"

    if args.source == "nukeviet":
        for old, new in source.listing_redirects(category_url, tag_url).items():
            writer.add_redirect(old, new)
        mapping = source.options.map_file
        text = source.mapping_text()
        if args.dry_run:
            print(f"sẽ ghi tệp ánh xạ chuyên mục: {mapping}")
        else:
            from .files import write_text_if_changed

            write_text_if_changed(mapping, text)
        source.close()
