#!/usr/bin/env bash
# Uploads a published site with rsync over SSH: scripts/deploy.sh output user@host:/var/www/portal/
#
# Two passes so that readers never get a page whose CSS, JS or images are not
# on the server yet: first every new or changed file except HTML, deleting
# nothing; then the HTML, and only then the files no longer produced.
# SSH options (port, key) go in ~/.ssh/config or RSYNC_RSH="ssh -p 2222 -i key".
set -euo pipefail
site=${1:?"cách dùng: scripts/deploy.sh THU_MUC_TRANG DEPLOY_TARGET"}
target=${2:?"lỗi: chưa đặt DEPLOY_TARGET, ví dụ DEPLOY_TARGET=user@host:/var/www/portal/"}
site=${site%/}
if [ ! -f "$site/index.html" ] || [ ! -f "$site/sitemap.xml" ]; then
  echo "lỗi: $site/ không phải một bản xuất bản hoàn chỉnh (thiếu index.html hoặc sitemap.xml); hãy chạy make publish. Không tải lên gì cả." >&2
  exit 1
fi
# --checksum: Pelican rewrites every file on each build; send only real changes.
common=(--recursive --links --times --checksum --compress --chmod=D755,F644 --delay-updates)
echo "Bước 1/2: tải lên ảnh, CSS, JS và các tệp mới (chưa xóa gì)"
rsync "${common[@]}" --itemize-changes --exclude='*.html' --exclude='*.html.gz' --exclude='*.html.br' "$site/" "$target"
echo "Bước 2/2: tải lên các trang HTML, xóa các tệp không còn dùng"
rsync "${common[@]}" --itemize-changes --delete-after "$site/" "$target"
echo "Đã triển khai $site/ lên $target"
