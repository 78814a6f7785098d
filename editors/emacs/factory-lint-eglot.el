;;; factory-lint-eglot.el --- factory-lint language server for Factory Droid files via eglot  -*- lexical-binding: t; -*-

;; Load this file (or copy its forms into your init file). Factory Droid files
;; (.factory/settings.json, settings.local.json, config.json and the dotfile layouts
;; dot_factory/, private_dot_factory/, factory/) get `factory-droid-json-mode', a JSON mode of
;; their own, so that eglot starts `factory-lint server' for them and other JSON files keep
;; whatever server they had.

;;; Code:

(require 'js)

(define-derived-mode factory-droid-json-mode js-mode "Factory-JSON"
  "JSON with comments, for Factory Droid's settings.json and config.json.")

(add-to-list 'auto-mode-alist
             (cons (concat "/\\(?:\\.factory\\|\\(?:private_\\)?dot_factory\\|factory\\)/"
                           "\\(?:private_\\|readonly_\\)*"
                           "\\(?:settings\\|settings\\.local\\|config\\)\\.json\\'")
                   'factory-droid-json-mode))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(factory-droid-json-mode . ("factory-lint" "server"))))

(add-hook 'factory-droid-json-mode-hook #'eglot-ensure)

(provide 'factory-lint-eglot)
;;; factory-lint-eglot.el ends here
