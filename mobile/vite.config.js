// The salesperson's phone app (issue 16): built by `./dealer install` into
// var/mobile, served under /m/ by dealer_base's route (addons/dealer_base/
// mobile.py), which sends the .gz written here beside every file: trytond's
// static server does not compress, and a 3G network needs it.
import { gzipSync } from 'node:zlib'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const outDir = process.env.DEALER_MOBILE_OUT
  || resolve(import.meta.dirname, '..', 'var', 'mobile')

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

// sw.js beside index.html, named by the build (its old caches are dropped)
function serviceWorker() {
  return {
    name: 'dealer-service-worker',
    apply: 'build',
    writeBundle() {
      const source = readFileSync(resolve(import.meta.dirname, 'public-sw.js'), 'utf8')
      writeFileSync(join(outDir, 'sw.js'), source.replace('__BUILD__', Date.now().toString(36)))
    },
  }
}

function precompress() {
  return {
    name: 'dealer-precompress',
    apply: 'build',
    closeBundle() {
      for (const path of files(outDir)) {
        if (/\.(js|css|html|svg|json)$/.test(path)) {
          writeFileSync(path + '.gz', gzipSync(readFileSync(path), { level: 9 }))
        }
      }
    },
  }
}

// Vant's icon font (a 28 KB gzipped woff2 inlined in its CSS) would hold
// the first paint on 3G: the components' styles get it from an empty file,
// and main.js loads the real one once the app shows.
function deferIconFont() {
  const empty = resolve(import.meta.dirname, 'src', 'icon-font-later.css')
  return {
    name: 'dealer-defer-icon-font',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === '../../icon/index.css' && importer?.includes('/vant/es/')) {
        return empty
      }
      return null
    },
  }
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/m/',
  plugins: [deferIconFont(), vue(), serviceWorker(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    // The screens load when opened (router.js): the first load carries the
    // login, the shell and the home page only.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 300,
  },
})
