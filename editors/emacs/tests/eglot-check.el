;;; eglot-check.el --- by-hand check of factory-lint-eglot.el with a real Emacs + eglot  -*- lexical-binding: t; -*-
;;
;;   emacs --batch -l editors/emacs/tests/eglot-check.el <project dir>
;;
;; <project dir> holds .git/ and a broken .factory/settings.json (the same file as the Neovim
;; test). Not run in CI (Emacs is not installed there); see docs/editors.md.

(require 'package)
(package-initialize)
(require 'eglot)
(require 'flymake)

(defvar check-failures 0)
(defun check (name ok &optional detail)
  (princ (format "%s - %s%s\n" (if ok "ok" "not ok") name (if (and detail (not ok)) (format ": %s" detail) "")))
  (unless ok (setq check-failures (1+ check-failures))))

(defun wait-until (fn seconds)
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall fn))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(let* ((here (file-name-directory (or load-file-name buffer-file-name)))
       (project (file-name-as-directory (expand-file-name (car command-line-args-left))))
       (file (concat project ".factory/settings.json")))
  (setq command-line-args-left nil)
  (load (expand-file-name "../factory-lint-eglot.el" here) nil t)
  (find-file file)
  (check "the buffer is in factory-droid-json-mode" (eq major-mode 'factory-droid-json-mode) major-mode)
  ;; eglot-ensure waits for the next command; in batch, start it the way M-x eglot does.
  (apply #'eglot (eglot--guess-contact))
  (check "eglot manages the buffer" (wait-until (lambda () (eglot-current-server)) 15))
  (flymake-mode 1)
  (let ((diags (wait-until
                (lambda ()
                  (flymake-start)
                  (let ((d (flymake-diagnostics)))
                    (and (cl-some (lambda (x) (string-match-p "FL201" (flymake-diagnostic-text x))) d)
                         d)))
                20)))
    (check "flymake has the factory-lint diagnostics" diags)
    (dolist (d diags)
      (princ (format "#   line %d: %s\n" (line-number-at-pos (flymake-diagnostic-beg d))
                     (truncate-string-to-width (flymake-diagnostic-text d) 90)))))
  ;; the quick fix for "Anthropic": code actions at the diagnostic, the preferred one applied
  (goto-char (point-min))
  (search-forward "\"Anthropic\"")
  (backward-char 3)
  (let* ((actions (eglot-code-actions (line-beginning-position) (line-end-position) "quickfix"))
         (fix (cl-find-if (lambda (a) (and (string-match-p "\"anthropic\"" (plist-get a :title))
                                          (eq (plist-get a :isPreferred) t)))
                          actions)))
    (check "a preferred quick fix for \"Anthropic\" is offered" fix
           (mapcar (lambda (a) (plist-get a :title)) actions))
    (when fix
      ;; what M-x eglot-code-actions does with the chosen action
      (eglot--apply-workspace-edit (plist-get fix :edit))
      (check "applying it changes the buffer"
             (save-excursion (goto-char (point-min))
                             (search-forward "\"provider\": \"anthropic\"" nil t)))))
  (princ (format "%d failed\n" check-failures))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs (if (zerop check-failures) 0 1)))
